using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Nlps.Inference.ChatTemplates;
using Nlps.Inference.Sampling;

namespace Nlps.Inference.Engine;

/// <summary>
/// <see cref="IChatClient"/> over an <see cref="ILanguageModel"/>, so agents reach the built-in engine the way they
/// reach any other provider. Maps ChatOptions (temperature, top_p, top_k, seed, max output tokens, stop sequences;
/// "min_p" and "repetition_penalty" through AdditionalProperties). Without options it decodes greedily. Does not own
/// the model: disposing the client leaves the model loaded.
/// </summary>
public sealed class LanguageModelChatClient(ILanguageModel model, GenerationOptions? defaults = null) : IChatClient
{
    private readonly ILanguageModel _model = model ?? throw new ArgumentNullException(nameof(model));
    private readonly GenerationOptions _defaults = defaults ?? new GenerationOptions();

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var turns = messages.Select(m => new ChatTurn(m.Role.Value, m.Text)).ToList();
        GenerationOptions generation = ToGenerationOptions(options);
        string responseId = Guid.NewGuid().ToString("N");
        await foreach (GenerationUpdate update in _model.GenerateAsync(turns, generation, cancellationToken).ConfigureAwait(false))
        {
            var chunk = new ChatResponseUpdate(ChatRole.Assistant, update.Text)
            {
                ResponseId = responseId,
                MessageId = responseId,
                ModelId = _model.Id,
            };
            if (update.FinishReason is FinishReason reason)
            {
                chunk.FinishReason = reason == FinishReason.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length;
                chunk.Contents.Add(new UsageContent(new UsageDetails
                {
                    InputTokenCount = update.PromptTokens,
                    OutputTokenCount = update.CompletionTokens,
                    TotalTokenCount = update.PromptTokens + update.CompletionTokens,
                }));
            }

            yield return chunk;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Resolve(this, serviceType, serviceKey, new ChatClientMetadata("nlps-cpu", defaultModelId: _model.Id), _model);

    public void Dispose()
    {
        // The model belongs to whoever loaded it.
    }

    private GenerationOptions ToGenerationOptions(ChatOptions? options)
    {
        if (options is null)
        {
            return _defaults;
        }

        SamplingOptions sampling = _defaults.Sampling;
        bool sampled = options.Temperature is > 0 || (options.Temperature is null && sampling.Temperature > 0);
        sampling = sampling with
        {
            Temperature = options.Temperature ?? sampling.Temperature,
            TopP = options.TopP ?? sampling.TopP,
            TopK = options.TopK ?? sampling.TopK,
            Seed = options.Seed is long seed ? unchecked((int)seed) : sampling.Seed,
            MinP = Number(options, "min_p") ?? sampling.MinP,
            RepetitionPenalty = Number(options, "repetition_penalty") ?? sampling.RepetitionPenalty,
        };
        if (!sampled)
        {
            sampling = sampling with { Temperature = 0 };
        }

        return _defaults with
        {
            MaxTokens = options.MaxOutputTokens ?? _defaults.MaxTokens,
            Sampling = sampling,
            StopStrings = options.StopSequences is { Count: > 0 } stops ? [.. _defaults.StopStrings, .. stops] : _defaults.StopStrings,
        };
    }

    private static float? Number(ChatOptions options, string key) =>
        options.AdditionalProperties?.TryGetValue(key, out object? value) == true && value is not null
            ? Convert.ToSingle(value, CultureInfo.InvariantCulture)
            : null;
}
