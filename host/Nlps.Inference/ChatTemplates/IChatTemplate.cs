namespace Nlps.Inference.ChatTemplates;

/// <summary>Renders a conversation the way a model's own chat template (tokenizer_config.json) does.</summary>
public interface IChatTemplate
{
    /// <summary>The prompt as pieces; concatenated, they are exactly the text the model's Jinja template produces.</summary>
    IReadOnlyList<PromptPiece> Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt);
}
