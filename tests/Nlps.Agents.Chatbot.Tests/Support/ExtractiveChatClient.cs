using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Nlps.Agents.Chatbot.Tests.Support;

/// <summary>
/// TEST DOUBLE: there is no chat engine on this branch yet, so the answering path is tested with this deterministic
/// "model". It reads the numbered sources in the prompt the agent built, picks the one sharing the most character
/// bigrams with the question, and answers with that source's first sentence and its citation [n]; with no overlap
/// at all it answers NOT_IN_DOCUMENTS, as the system prompt asks. It records each prompt it was sent.
/// </summary>
internal sealed partial class ExtractiveChatClient : IChatClient
{
    private readonly List<string> prompts = [];

    public IReadOnlyList<string> Prompts
    {
        get
        {
            lock (prompts)
            {
                return [.. prompts];
            }
        }
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages.Last().Text;
        lock (prompts)
        {
            prompts.Add(prompt);
        }

        var question = prompt[(prompt.LastIndexOf("Question: ", StringComparison.Ordinal) + "Question: ".Length)..];
        var best = (Number: 0, Overlap: 0, Text: string.Empty);
        foreach (Match source in Source().Matches(prompt))
        {
            var overlap = Bigrams(source.Groups[2].Value).Intersect(Bigrams(question)).Count();
            if (overlap > best.Overlap)
            {
                best = (int.Parse(source.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), overlap, source.Groups[2].Value);
            }
        }

        var answer = best.Number == 0 ? "NOT_IN_DOCUMENTS" : $"{best.Text.Split('.')[0].Trim()}. [{best.Number}]";
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Word by word, and the refusal marker in pieces, as a model streams tokens.
        var response = await GetResponseAsync(messages, options, cancellationToken);
        var pieces = response.Text == "NOT_IN_DOCUMENTS" ? ["NOT_", "IN_DOC", "UMENTS"] : response.Text.Split(' ').Select((w, i) => i == 0 ? w : " " + w);
        foreach (var piece in pieces)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static HashSet<string> Bigrams(string text)
    {
        var letters = new string(text.Where(c => c >= 0xAC00 && c <= 0xD7A3).ToArray());
        return Enumerable.Range(0, Math.Max(0, letters.Length - 1)).Select(i => letters.Substring(i, 2)).ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\[(\d+)\] \([^)]*\) (.*?)(?=\n\n)", RegexOptions.Singleline)]
    private static partial Regex Source();
}
