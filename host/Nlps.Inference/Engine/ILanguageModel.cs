using Nlps.Inference.ChatTemplates;
using Nlps.Inference.Tokenization;

namespace Nlps.Inference.Engine;

/// <summary>A loaded text-generation model: tokenizer, chat template and streamed generation. Safe to share between requests.</summary>
public interface ILanguageModel : IDisposable
{
    /// <summary>The model's name (its folder name for a local model).</summary>
    string Id { get; }

    ITokenizer Tokenizer { get; }

    /// <summary>The chat template from tokenizer_config.json, or null for a model without one.</summary>
    IChatTemplate? ChatTemplate { get; }

    /// <summary>Most tokens (prompt + output) one sequence may hold.</summary>
    int MaxContextTokens { get; }

    /// <summary>The prompt token ids of a conversation, ending with the assistant's turn header.</summary>
    IReadOnlyList<int> EncodeChat(IReadOnlyList<ChatTurn> messages);

    /// <summary>
    /// Generates a continuation of <paramref name="promptTokens"/>, streaming text as it completes. A prompt that does
    /// not leave room for one token in the context window throws <see cref="ContextLengthExceededException"/>.
    /// Cancelling <paramref name="cancellationToken"/> stops the generation between tokens.
    /// </summary>
    IAsyncEnumerable<GenerationUpdate> GenerateAsync(IReadOnlyList<int> promptTokens, GenerationOptions options, CancellationToken cancellationToken);
}
