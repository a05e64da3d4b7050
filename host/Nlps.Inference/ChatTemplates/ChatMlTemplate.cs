namespace Nlps.Inference.ChatTemplates;

/// <summary>
/// ChatML as Qwen2/Qwen2.5 use it: <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per message, content
/// untrimmed; when the conversation does not start with a system message, the template's default one is inserted
/// (Qwen2 "You are a helpful assistant.", Qwen2.5 "You are Qwen, created by Alibaba Cloud. …").
/// </summary>
public sealed class ChatMlTemplate(string? defaultSystemMessage) : IChatTemplate
{
    public string? DefaultSystemMessage { get; } = defaultSystemMessage;

    public IReadOnlyList<PromptPiece> Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var pieces = new List<PromptPiece>();
        if (DefaultSystemMessage is not null && (messages.Count == 0 || messages[0].Role != "system"))
        {
            pieces.Add(new("<|im_start|>system\n", true));
            pieces.Add(new(DefaultSystemMessage, false));
            pieces.Add(new("<|im_end|>\n", true));
        }

        foreach (ChatTurn turn in messages)
        {
            turn.Validate();
            pieces.Add(new($"<|im_start|>{turn.Role}\n", true));
            pieces.Add(new(turn.Content, false));
            pieces.Add(new("<|im_end|>\n", true));
        }

        if (addGenerationPrompt)
        {
            pieces.Add(new("<|im_start|>assistant\n", true));
        }

        return pieces;
    }
}
