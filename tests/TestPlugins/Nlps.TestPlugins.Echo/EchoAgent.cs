using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Operations;
using Nlps.Sdk.Storage;

namespace Nlps.TestPlugins.Echo;

/// <summary>An agent with one operation per behaviour the host must handle: success, streaming, errors, cancellation, storage, models.</summary>
public sealed class EchoAgent : IAgent
{
    private IAgentContext? context;
    private string greeting = "hello";

    public ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        this.context = context;
        if (context.Configuration.ValueKind == JsonValueKind.Object
            && context.Configuration.TryGetProperty("greeting", out var configured)
            && configured.ValueKind == JsonValueKind.String)
        {
            greeting = configured.GetString()!;
        }

        return ValueTask.CompletedTask;
    }

    public void ConfigureOperations(OperationCatalog operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var json = EchoJson.Default;
        operations
            .Add("echo", json.EchoRequest, json.EchoResponse, (request, _) =>
                ValueTask.FromResult(new EchoResponse(request.Text, request.Text.Length, Context.Version, greeting)))
            .Add("noop", json.Empty, json.Empty, (request, _) => ValueTask.FromResult(request))
            .AddStreaming("count", json.CountRequest, json.CountItem, CountAsync)
            .Add("fail", json.Empty, json.Empty, (_, _) => throw new InvalidOperationException("the echo agent was asked to fail"))
            .Add("reject", json.Empty, json.Empty, (_, _) => throw new AgentOperationException("echo_rejected", "the echo agent rejects this request", 422))
            .Add("wait", json.Empty, json.Empty, WaitAsync)
            .Add("remember", json.MemoryItem, json.MemoryItem, RememberAsync)
            .Add("recall", json.MemoryItem, json.MemoryItem, RecallAsync)
            .Add("chat", json.EchoRequest, json.EchoResponse, async (request, cancellationToken) =>
            {
                // Greedy, 8 tokens: the answer is deterministic, so tests can compare it with the engine's own.
                var client = Context.GetChatClient("chat");
                var response = await client.GetResponseAsync(request.Text, new ChatOptions { Temperature = 0, MaxOutputTokens = 8 }, cancellationToken);
                return new EchoResponse(response.Text, (int)(response.Usage?.OutputTokenCount ?? 0), Context.Version, greeting);
            });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private IAgentContext Context => context ?? throw new InvalidOperationException("not initialised");

    private static async IAsyncEnumerable<CountItem> CountAsync(CountRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var n = 1; n <= request.To; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new CountItem(n);
        }
    }

    // Waits until the call is cancelled (client gone, timeout, shutdown) and records that it saw the cancellation.
    private async ValueTask<Empty> WaitAsync(Empty request, CancellationToken cancellationToken)
    {
        await Context.Store.SetStringAsync("wait", "started", CancellationToken.None);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await Context.Store.SetStringAsync("wait", "cancelled", CancellationToken.None);
            throw;
        }

        return request;
    }

    private async ValueTask<MemoryItem> RememberAsync(MemoryItem item, CancellationToken cancellationToken)
    {
        await Context.Store.SetStringAsync(item.Key, item.Value ?? string.Empty, cancellationToken);
        return item;
    }

    private async ValueTask<MemoryItem> RecallAsync(MemoryItem item, CancellationToken cancellationToken) =>
        item with { Value = await Context.Store.GetStringAsync(item.Key, cancellationToken) };
}

public sealed record EchoRequest(string Text);

public sealed record EchoResponse(string Text, int Length, string Version, string Greeting);

public sealed record CountRequest(int To);

public sealed record CountItem(int N);

public sealed record MemoryItem(string Key, string? Value = null);

public sealed record Empty;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(EchoRequest))]
[JsonSerializable(typeof(EchoResponse))]
[JsonSerializable(typeof(CountRequest))]
[JsonSerializable(typeof(CountItem))]
[JsonSerializable(typeof(MemoryItem))]
[JsonSerializable(typeof(Empty))]
internal sealed partial class EchoJson : JsonSerializerContext;
