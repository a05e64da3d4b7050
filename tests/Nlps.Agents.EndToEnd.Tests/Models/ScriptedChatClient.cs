using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Nlps.Agents.TestModels;

/// <summary>
/// TEST DOUBLE: no chat engine is wired into the appliance yet (the CPU engine is being written on another branch), so
/// the model-dependent paths are tested against this deterministic client. It answers with the given function and
/// records every prompt, so tests can check what the agent asked as well as what it did with the answer.
/// </summary>
public sealed partial class ScriptedChatClient(Func<ScriptedChatClient, string, string> respond) : IChatClient
{
    private readonly List<string> prompts = [];

    public IReadOnlyList<string> Prompts => prompts;

    /// <summary>A translator that obeys the prompt: every mandated Korean term becomes its English term, everything else is copied, with [n] numbering for batches.</summary>
    public static ScriptedChatClient Obedient() => new((_, prompt) => Answer(prompt, obey: true));

    /// <summary>A translator that ignores the mandated terms until a retry prompt insists on them.</summary>
    public static ScriptedChatClient ObeysOnlyWhenRetried() => new((_, prompt) => Answer(prompt, obey: prompt.Contains("MUST contain", StringComparison.Ordinal)));

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = string.Join("\n", messages.Select(m => m.Text));
        lock (prompts)
        {
            prompts.Add(prompt);
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, respond(this, prompt))));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The agents under test do not stream from the model.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static string Answer(string prompt, bool obey)
    {
        var terms = TermLine().Matches(prompt).Select(m => (Korean: m.Groups[1].Value.Trim(), English: m.Groups[2].Value.Trim())).ToList();
        string Translate(string korean) => obey ? terms.Aggregate(korean, (text, term) => Regex.Replace(text, Regex.Escape(term.Korean) + "[가-힣]*", term.English)) : "[EN] " + korean;

        var segments = SegmentLine().Matches(prompt);
        if (segments.Count > 0)
        {
            return string.Join("\n", segments.Select(m => $"[{m.Groups[1].Value}] {Translate(m.Groups[2].Value)}"));
        }

        var korean = prompt[(prompt.LastIndexOf("Korean:\n", StringComparison.Ordinal) + "Korean:\n".Length)..].Split('\n')[0];
        return Translate(korean);
    }

    [GeneratedRegex(@"^- (.+?) => (.+)$", RegexOptions.Multiline)]
    private static partial Regex TermLine();

    [GeneratedRegex(@"^\[(\d+)\] (.*)$", RegexOptions.Multiline)]
    private static partial Regex SegmentLine();
}
