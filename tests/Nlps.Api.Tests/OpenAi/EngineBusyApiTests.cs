using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Api.Tests.Support;
using Nlps.Inference.Engine;
using Nlps.Models.Deployments;

namespace Nlps.Api.Tests.OpenAi;

public sealed class EngineBusyApiTests
{
    [Fact]
    public async Task When_the_engine_runs_and_queues_its_most_sequences_the_next_request_gets_503_with_retry_after()
    {
        await using var served = await ServedModel.StartAsync(new Dictionary<string, string?> { ["Models:Deployments:full:MaxConcurrency"] = "2" }, deployment: "full");
        using var client = served.Appliance.CreateAdminClient();
        var deployments = served.Appliance.Services.GetRequiredService<ModelDeployments>();
        using var lease = await deployments.AcquireAsync("full", CancellationToken.None);
        var model = (CpuLanguageModel)lease.Model!;
        var defaults = new CpuEngineOptions();
        int[] prompt = [.. model.Tokenizer.Encode("hi", addSpecialTokens: true)];
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        // The test fills the engine itself: every running place (each sequence reads one token, then stops reading) and the queue.
        var endless = new GenerationOptions { MaxTokens = 100_000, IgnoreEndOfSequence = true };
        var running = new List<IAsyncEnumerator<GenerationUpdate>>();
        var queued = new List<Task>();
        for (int i = 0; i < defaults.MaxRunningSequences + defaults.MaxQueuedSequences; i++)
        {
            IAsyncEnumerator<GenerationUpdate> sequence = model.GenerateAsync(prompt, endless, stop.Token).GetAsyncEnumerator(stop.Token);
            Task<bool> first = sequence.MoveNextAsync().AsTask();
            if (i < defaults.MaxRunningSequences)
            {
                Assert.True(await first);
                running.Add(sequence);
            }
            else
            {
                queued.Add(first);
            }
        }

        Assert.Equal((defaults.MaxRunningSequences, defaults.MaxQueuedSequences), (model.CurrentLoad.RunningSequences, model.CurrentLoad.QueuedSequences));
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"full","messages":[{"role":"user","content":"hi"}],"max_tokens":4}"""));

        var error = await ChatCompletionsApiTests.AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "engine_busy", "server_error");
        Assert.Contains("limit", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        await stop.CancelAsync();
        foreach (Task task in queued)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(TimeSpan.FromMinutes(1)));
        }

        foreach (IAsyncEnumerator<GenerationUpdate> sequence in running)
        {
            await sequence.DisposeAsync();
        }

        Assert.Equal(0, model.CurrentLoad.QueuedSequences);
    }
}
