using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Nlps.Agents.Translator.Tests.Support;

/// <summary>
/// TEST DOUBLE for the chat model: answers a batch prompt's numbered Korean lines with numbered English lines. While
/// closed it holds every call until <see cref="Open"/> or the call's cancellation, so a job stays running as long as the
/// test needs; with <c>fail</c> every call throws, as a model engine that went away would.
/// </summary>
internal sealed partial class GatedTranslator(bool open = true, bool fail = false) : IChatClient
{
    private readonly TaskCompletionSource gate = OpenedIf(open);
    private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a call first waits at the closed gate.</summary>
    public Task Held => held.Task;

    public void Open() => gate.TrySetResult();

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (fail)
        {
            throw new HttpRequestException("the model engine went away");
        }

        if (!gate.Task.IsCompleted)
        {
            held.TrySetResult();
            await gate.Task.WaitAsync(cancellationToken);
        }

        var prompt = string.Join("\n", messages.Select(m => m.Text));
        var lines = NumberedLine().Matches(prompt).Select(m => $"[{m.Groups[1].Value}] English {m.Groups[1].Value}");
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Join("\n", lines.DefaultIfEmpty("English"))));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The translator does not stream from the model.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static TaskCompletionSource OpenedIf(bool open)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            source.SetResult();
        }

        return source;
    }

    [GeneratedRegex(@"^\[(\d+)\] ", RegexOptions.Multiline)]
    private static partial Regex NumberedLine();
}
