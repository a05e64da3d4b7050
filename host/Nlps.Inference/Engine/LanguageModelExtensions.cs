using Nlps.Inference.ChatTemplates;

namespace Nlps.Inference.Engine;

/// <summary>Text and conversation entry points over <see cref="ILanguageModel.GenerateAsync"/>.</summary>
public static class LanguageModelExtensions
{
    /// <summary>Continues raw text; the tokenizer adds its usual prefix (Llama's BOS).</summary>
    public static IAsyncEnumerable<GenerationUpdate> GenerateAsync(this ILanguageModel model, string prompt, GenerationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompt);
        return model.GenerateAsync(model.Tokenizer.Encode(prompt, addSpecialTokens: true), options, cancellationToken);
    }

    /// <summary>Answers a conversation as the assistant, through the model's chat template.</summary>
    public static IAsyncEnumerable<GenerationUpdate> GenerateAsync(this ILanguageModel model, IReadOnlyList<ChatTurn> messages, GenerationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.GenerateAsync(model.EncodeChat(messages), options, cancellationToken);
    }

    /// <summary>Runs a generation to the end and returns its text and finish reason.</summary>
    public static async Task<(string Text, FinishReason Reason, int CompletionTokens)> CompleteAsync(
        this IAsyncEnumerable<GenerationUpdate> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var text = new System.Text.StringBuilder();
        await foreach (GenerationUpdate update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            text.Append(update.Text);
            if (update.FinishReason is FinishReason reason)
            {
                return (text.ToString(), reason, update.CompletionTokens);
            }
        }

        throw new InvalidOperationException("the generation ended without a finish reason");
    }
}
