using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Api.Tests.Support;
using Nlps.Models.Deployments;
using Nlps.Testing.Models;

namespace Nlps.Api.Tests.OpenAi;

/// <summary>Deployments as the scheduler runs them behind the HTTP surfaces: slots, queues, failed loads, disconnects, agents.</summary>
public sealed class ModelSchedulingApiTests
{
    // 4096 positions: a generation of thousands of tokens, more than the test server's response pipe buffers (64 KiB),
    // so the server waits on the client's reads and is still generating when the client goes away.
    private static readonly TinyModelSpec LongContext = TinyModelSpec.Llama3 with { MaxPositions = 4096 };

    [Fact]
    public async Task When_the_only_slot_is_busy_and_the_queue_is_full_the_next_request_gets_429_with_retry_after()
    {
        await using var served = await ServedModel.StartAsync(
            new Dictionary<string, string?> { ["Models:Deployments:busy:MaxConcurrency"] = "1", ["Models:Scheduler:MaxQueuePerDeployment"] = "1" },
            deployment: "busy");
        using var client = served.Appliance.CreateAdminClient();

        // The test itself holds the one slot, through the same scheduler the requests go to.
        var deployments = served.Appliance.Services.GetRequiredService<ModelDeployments>();
        var holder = await deployments.AcquireAsync("busy", CancellationToken.None);
        using (holder)
        {
            // One of these waits in the queue (the limit is one waiter), the other is refused at once.
            var first = client.PostAsync("/v1/chat/completions", Body("busy", 1));
            var second = client.PostAsync("/v1/chat/completions", Body("busy", 1));
            var refused = await Task.WhenAny(first, second);
            using var refusal = await refused;
            await ChatCompletionsApiTests.AssertErrorAsync(refusal, HttpStatusCode.TooManyRequests, "queue_full", "rate_limit_error");
            Assert.Equal(TimeSpan.FromSeconds(5), refusal.Headers.RetryAfter?.Delta);

            holder.Dispose();
            using var waited = await (refused == first ? second : first);
            Assert.Equal(HttpStatusCode.OK, waited.StatusCode);
        }
    }

    [Fact]
    public async Task A_client_that_disconnects_stops_its_generation_and_frees_the_slot()
    {
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long completionTokens = -1;
        string? outcome = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Nlps" && instrument.Name is "nlps.chat.completions" or "nlps.chat.tokens")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (map.GetValueOrDefault("deployment") != "cut")
            {
                return;
            }

            if (instrument.Name == "nlps.chat.tokens" && map.GetValueOrDefault("kind") == "completion")
            {
                Interlocked.Exchange(ref completionTokens, value);
            }
            else if (instrument.Name == "nlps.chat.completions")
            {
                outcome = map.GetValueOrDefault("outcome");
                disconnected.TrySetResult();
            }
        });
        listener.Start();

        await using var served = await ServedModel.StartAsync(new Dictionary<string, string?> { ["Models:Deployments:cut:MaxConcurrency"] = "1" }, LongContext, "cut");
        using var client = served.Appliance.CreateAdminClient();
        using (var response = await StartStreamAsync(client, "cut", maxTokens: 3900))
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(stream);
            Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        }

        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("client_disconnect", outcome);
        Assert.InRange(Interlocked.Read(ref completionTokens), 0, 3899);

        // The one slot is free again.
        using var next = await client.PostAsync("/v1/chat/completions", Body("cut", 2));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_deployment_that_fails_to_load_is_503_with_retry_after_on_both_surfaces()
    {
        await using var served = await ServedModel.StartAsync(beforeStart: stored => File.Delete(Path.Combine(stored, "tokenizer.json")));
        using var client = served.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", Body(ServedModel.Deployment, 1));
        var error = await ChatCompletionsApiTests.AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "load_failed", "server_error");
        Assert.Contains("tokenizer.json", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);

        await served.Appliance.InstallEchoAsync(client);
        using var agent = await client.PostAsync("/v1/agents/test.echo/chat", TestAppliance.Json("""{"text":"hello"}"""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, agent.StatusCode);
        Assert.Equal("load_failed", (await TestAppliance.ReadJsonAsync(agent)).GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(5), agent.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task An_agent_chat_role_resolves_to_the_deployment_and_the_admin_api_shows_it_resident_with_its_lease_released()
    {
        await using var served = await ServedModel.StartAsync();
        var expected = await served.ExpectedAsync("hello", maxTokens: 8);
        using var client = served.Appliance.CreateAdminClient();
        await served.Appliance.InstallEchoAsync(client);

        using var response = await client.PostAsync("/v1/agents/test.echo/chat", TestAppliance.Json("""{"text":"hello"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestAppliance.ReadJsonAsync(response);
        Assert.Equal(expected.Text, body.GetProperty("text").GetString());
        Assert.Equal(expected.CompletionTokens, body.GetProperty("length").GetInt32());

        using var status = await client.GetAsync("/v1/admin/deployments");
        var deployment = Assert.Single((await TestAppliance.ReadJsonAsync(status)).GetProperty("deployments").EnumerateArray());
        Assert.Equal(("tiny", ServedModel.ModelId, "resident", 0, 1), (deployment.GetProperty("id").GetString(), deployment.GetProperty("modelId").GetString(), deployment.GetProperty("state").GetString()?.ToLowerInvariant(), deployment.GetProperty("active").GetInt32(), deployment.GetProperty("loads").GetInt32()));
    }

    private static StringContent Body(string model, int maxTokens) =>
        TestAppliance.Json($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}],"max_tokens":{{maxTokens}},"ignore_eos":true}""");

    private static async Task<HttpResponseMessage> StartStreamAsync(HttpClient client, string model, int maxTokens)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = TestAppliance.Json($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}],"max_tokens":{{maxTokens}},"ignore_eos":true,"stream":true}"""),
        };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return response;
    }
}
