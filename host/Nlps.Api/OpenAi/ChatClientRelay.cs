using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Nlps.Inference.Engine;

namespace Nlps.Api.OpenAi;

/// <summary>
/// A chat completion on a deployment served outside this process (a vLLM process, a remote endpoint): the request as
/// <see cref="ChatOptions"/> for its <see cref="IChatClient"/>, and its updates as the generation updates the handler
/// streams. Text is passed on as it arrives; the finish reason and token counts come last, once the engine's usage
/// chunk has been seen.
/// </summary>
internal static class ChatClientRelay
{
    public static async IAsyncEnumerable<GenerationUpdate> StreamAsync(IChatClient client, ChatCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var messages = request.Messages.Select(m => new ChatMessage(new ChatRole(m.Role), m.Content)).ToList();
        int prompt = 0, completion = 0;
        FinishReason finish = FinishReason.Stop;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(messages, Options(request), cancellationToken).ConfigureAwait(false))
        {
            foreach (UsageContent usage in update.Contents.OfType<UsageContent>())
            {
                prompt = (int)(usage.Details.InputTokenCount ?? prompt);
                completion = (int)(usage.Details.OutputTokenCount ?? completion);
            }

            if (update.FinishReason is { } reason)
            {
                finish = reason == ChatFinishReason.Length ? FinishReason.Length : FinishReason.Stop;
            }

            if (update.Text.Length > 0)
            {
                yield return new GenerationUpdate(update.Text, null, prompt, completion, null);
            }
        }

        yield return new GenerationUpdate(string.Empty, null, prompt, completion, finish);
    }

    private static ChatOptions Options(ChatCompletionRequest request)
    {
        var options = new ChatOptions
        {
            Temperature = request.Sampling.Temperature,
            TopP = request.Sampling.TopP,
            TopK = request.Sampling.TopK > 0 ? request.Sampling.TopK : null,
            MaxOutputTokens = request.MaxTokens,
            Seed = request.Sampling.Seed,
            StopSequences = request.Stop.Count > 0 ? request.Stop.ToList() : null,
            AdditionalProperties = [],
        };
        if (request.Sampling.MinP > 0)
        {
            options.AdditionalProperties["min_p"] = request.Sampling.MinP;
        }

        if (request.Sampling.RepetitionPenalty != 1f)
        {
            options.AdditionalProperties["repetition_penalty"] = request.Sampling.RepetitionPenalty;
        }

        if (request.IgnoreEos)
        {
            options.AdditionalProperties["ignore_eos"] = true;
        }

        return options;
    }
}
