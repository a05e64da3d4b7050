using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Seq2Seq;

namespace Nlps.Inference.Seq2Seq;

/// <summary>
/// <see cref="IChatClient"/> over a seq2seq model, for single-turn prompts: the one user message is the source and the
/// reply is the generated text. Anything else (a system message, earlier turns) is refused with
/// <see cref="ArgumentException"/>, since the model has no way to read it. ChatOptions.MaxOutputTokens bounds the new
/// tokens; beam search is asked for through AdditionalProperties <c>num_beams</c>, <c>length_penalty</c> and
/// <c>early_stopping</c>. Sampling options are ignored: decoding is greedy or beam search. The whole reply comes as one
/// update followed by the finish reason and usage. Does not own the model.
/// </summary>
public sealed class Seq2SeqChatClient(Seq2SeqTextModel model, string? modelId = null) : IChatClient
{
    public const string NumBeamsKey = "num_beams";
    public const string LengthPenaltyKey = "length_penalty";
    public const string EarlyStoppingKey = "early_stopping";

    private readonly Seq2SeqTextModel _model = model ?? throw new ArgumentNullException(nameof(model));
    private readonly string _modelId = modelId ?? model.Id;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string source = Source([.. messages]);
        Seq2SeqGenerationOptions generation = ToGenerationOptions(options);
        Seq2SeqTextResult result = await _model.GenerateAsync(source, generation, cancellationToken).ConfigureAwait(false);
        string responseId = Guid.NewGuid().ToString("N");
        yield return new ChatResponseUpdate(ChatRole.Assistant, result.Text) { ResponseId = responseId, MessageId = responseId, ModelId = _modelId };
        var last = new ChatResponseUpdate(ChatRole.Assistant, string.Empty)
        {
            ResponseId = responseId,
            MessageId = responseId,
            ModelId = _modelId,
            FinishReason = result.EndedWithEos ? ChatFinishReason.Stop : ChatFinishReason.Length,
        };
        last.Contents.Add(new UsageContent(new UsageDetails
        {
            InputTokenCount = result.SourceTokens,
            OutputTokenCount = result.Tokens.Length,
            TotalTokenCount = result.SourceTokens + result.Tokens.Length,
        }));
        yield return last;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Resolve(this, serviceType, serviceKey, new ChatClientMetadata("nlps-cpu", defaultModelId: _modelId), _model);

    public void Dispose()
    {
        // The model belongs to whoever loaded it.
    }

    private static string Source(IReadOnlyList<ChatMessage> messages)
    {
        if (messages.Count != 1 || messages[0].Role != ChatRole.User)
        {
            string roles = string.Join(", ", messages.Select(m => m.Role.Value));
            throw new ArgumentException(
                $"a seq2seq model takes a single user message as its source; this request has {messages.Count} message(s) ({roles}). Send one user message without a system prompt or earlier turns.",
                nameof(messages));
        }

        return messages[0].Text;
    }

    private Seq2SeqGenerationOptions ToGenerationOptions(ChatOptions? options)
    {
        Seq2SeqGenerationOptions defaults = _model.Defaults;
        if (options is null)
        {
            return defaults;
        }

        var result = defaults with
        {
            MaxNewTokens = options.MaxOutputTokens ?? defaults.MaxNewTokens,
            NumBeams = Property(options, NumBeamsKey, v => Convert.ToInt32(v, CultureInfo.InvariantCulture)) ?? defaults.NumBeams,
            LengthPenalty = Property(options, LengthPenaltyKey, v => Convert.ToDouble(v, CultureInfo.InvariantCulture)) ?? defaults.LengthPenalty,
            EarlyStopping = Property(options, EarlyStoppingKey, v => Convert.ToBoolean(v, CultureInfo.InvariantCulture)) ?? defaults.EarlyStopping,
        };
        result.Validate(); // an ArgumentException naming the option: a 400 on the OpenAI surface
        return result;
    }

    private static T? Property<T>(ChatOptions options, string key, Func<object, T> convert)
        where T : struct
    {
        if (options.AdditionalProperties?.TryGetValue(key, out object? value) != true || value is null)
        {
            return null;
        }

        try
        {
            return convert(value is System.Text.Json.JsonElement json ? json.ToString() : value);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{key}\"] = '{value}' is not a valid {typeof(T).Name}", nameof(options), ex);
        }
    }
}
