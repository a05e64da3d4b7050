using Nlps.Inference.ChatTemplates;
using Nlps.Inference.Models.Lora;
using Nlps.Inference.Tokenization;

namespace Nlps.Inference.Engine;

/// <summary>
/// A <see cref="CpuLanguageModel"/> generating with one of its LoRA adapters applied unmerged. It owns nothing: the
/// base model holds the weights, the adapter and the decoder, so disposing this view does nothing.
/// </summary>
internal sealed class AdaptedLanguageModel(CpuLanguageModel model, LoraAdapter adapter) : ILanguageModel
{
    public string Id { get; } = $"{model.Id}:{adapter.Name}";

    public ITokenizer Tokenizer => model.Tokenizer;

    public IChatTemplate? ChatTemplate => model.ChatTemplate;

    public int MaxContextTokens => model.MaxContextTokens;

    public IReadOnlyList<int> EncodeChat(IReadOnlyList<ChatTurn> messages) => model.EncodeChat(messages);

    public IAsyncEnumerable<GenerationUpdate> GenerateAsync(IReadOnlyList<int> promptTokens, GenerationOptions options, CancellationToken cancellationToken) =>
        model.GenerateAsync(promptTokens, options, adapter, cancellationToken);

    public void Dispose()
    {
        // The base model owns everything; it is disposed with its deployment.
    }
}
