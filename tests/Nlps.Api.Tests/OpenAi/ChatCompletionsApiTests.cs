using System.Net;
using System.Text.Json;
using Nlps.Api.Tests.Support;

namespace Nlps.Api.Tests.OpenAi;

public sealed class ChatCompletionsApiTests(ServedModelFixture fixture) : IClassFixture<ServedModelFixture>
{
    private ServedModel Served => fixture.Served;

    [Fact]
    public async Task Models_list_names_each_deployment_in_openai_shape()
    {
        using var client = Served.Appliance.CreateAdminClient();
        using var response = await client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestAppliance.ReadJsonAsync(response);
        Assert.Equal("list", body.GetProperty("object").GetString());
        var model = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal((ServedModel.Deployment, "model", "nlps", ServedModel.ModelId), (model.GetProperty("id").GetString(), model.GetProperty("object").GetString(), model.GetProperty("owned_by").GetString(), model.GetProperty("root").GetString()));
        Assert.True(model.GetProperty("created").GetInt64() > 1_700_000_000);

        using var one = await client.GetAsync($"/v1/models/{ServedModel.Deployment}");
        Assert.Equal(ServedModel.Deployment, (await TestAppliance.ReadJsonAsync(one)).GetProperty("id").GetString());
        using var missing = await client.GetAsync("/v1/models/nope");
        await AssertErrorAsync(missing, HttpStatusCode.NotFound, "model_not_found", "not_found_error");
    }

    [Fact]
    public async Task A_completion_returns_what_the_engine_generates_with_usage_counts()
    {
        var expected = await Served.ExpectedAsync("hello world", maxTokens: 12);
        using var client = Served.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"tiny","messages":[{"role":"user","content":"hello world"}],"temperature":0,"max_tokens":12}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestAppliance.ReadJsonAsync(response);
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(("chat.completion", "tiny"), (body.GetProperty("object").GetString(), body.GetProperty("model").GetString()));
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(expected.Text, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(expected.Reason == Inference.Engine.FinishReason.Stop ? "stop" : "length", choice.GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(expected.PromptTokens, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(expected.CompletionTokens, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(expected.PromptTokens + expected.CompletionTokens, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Streaming_sends_role_first_text_chunks_finish_reason_usage_chunk_and_done()
    {
        var expected = await Served.ExpectedAsync("hello", maxTokens: 10, ignoreEos: true);
        using var client = Served.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json("""
            {"model":"tiny","messages":[{"role":"user","content":"hello"}],"temperature":0,"max_completion_tokens":10,
             "ignore_eos":true,"stream":true,"stream_options":{"include_usage":true}}
            """));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var chunks = ServerSentEvents.Chunks(await response.Content.ReadAsStringAsync());

        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Single(chunks.Select(c => c.GetProperty("created").GetInt64()).Distinct());
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());

        var usageChunk = chunks[^1];
        Assert.Empty(usageChunk.GetProperty("choices").EnumerateArray());
        Assert.Equal((expected.PromptTokens, 10), (usageChunk.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), usageChunk.GetProperty("usage").GetProperty("completion_tokens").GetInt32()));

        var choices = chunks[..^1].Select(c => Assert.Single(c.GetProperty("choices").EnumerateArray())).ToList();
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        Assert.Equal("length", choices[^1].GetProperty("finish_reason").GetString());
        Assert.All(choices[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("finish_reason").ValueKind));
        var text = string.Concat(choices.Select(c => c.GetProperty("delta").TryGetProperty("content", out var part) ? part.GetString() : string.Empty));
        Assert.Equal(expected.Text, text);
    }

    [Fact]
    public async Task Streaming_without_include_usage_has_no_usage_chunk()
    {
        using var client = Served.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":3,"ignore_eos":true,"stream":true}"""));
        var chunks = ServerSentEvents.Chunks(await response.Content.ReadAsStringAsync());
        Assert.All(chunks, c => Assert.Single(c.GetProperty("choices").EnumerateArray()));
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    public async Task Both_token_limit_names_bound_the_completion(string field)
    {
        using var client = Served.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json($$"""{"model":"tiny","messages":[{"role":"user","content":"hi"}],"{{field}}":5,"ignore_eos":true,"temperature":0}"""));
        var body = await TestAppliance.ReadJsonAsync(response);
        Assert.Equal(5, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("length", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Unknown_fields_are_ignored_and_content_part_arrays_read_as_their_text()
    {
        var expected = await Served.ExpectedAsync("hello world", maxTokens: 6);
        using var client = Served.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json("""
            {"model":"tiny","messages":[{"role":"user","content":[{"type":"text","text":"hello "},{"type":"text","text":"world"}],"name":"kim"}],
             "temperature":0,"max_tokens":6,"user":"u-1","parallel_tool_calls":true,"something_new":{"a":[1,2]},"presence_penalty":0,"n":1}
            """));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected.Text, (await TestAppliance.ReadJsonAsync(response)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_prompt_over_the_context_window_is_400_context_length_exceeded_naming_both_counts()
    {
        // Each "hello" is one token; the deployment's window is the model's 256 positions.
        var longText = string.Concat(Enumerable.Repeat("hello ", 300));
        using var client = Served.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json($$"""{"model":"tiny","messages":[{"role":"user","content":"{{longText}}"}]}"""));
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "context_length_exceeded", "invalid_request_error");
        int prompt = Served.Reference.EncodeChat([new Inference.ChatTemplates.ChatTurn("user", longText)]).Count;
        Assert.Contains("maximum context length is 256 tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains($"resulted in {prompt} tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var tooMuch = await client.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":1000}"""));
        var second = await AssertErrorAsync(tooMuch, HttpStatusCode.BadRequest, "context_length_exceeded", "invalid_request_error");
        Assert.Contains("in the completion", second.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"temperature\":-0.5", "temperature")]
    [InlineData("\"temperature\":\"hot\"", "temperature")]
    [InlineData("\"top_p\":0", "top_p")]
    [InlineData("\"top_p\":1.5", "top_p")]
    [InlineData("\"max_tokens\":0", "max_tokens")]
    [InlineData("\"n\":2", "n")]
    [InlineData("\"frequency_penalty\":0.5", "frequency_penalty")]
    [InlineData("\"stop\":7", "stop")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]", "tools")]
    public async Task Invalid_or_unsupported_values_are_400_naming_the_field(string field, string param)
    {
        using var client = Served.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json($$"""{"model":"tiny","messages":[{"role":"user","content":"hi"}],{{field}}}"""));
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, null, "invalid_request_error");
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"tiny","messages":[]}""", "messages")]
    [InlineData("""{"model":"tiny","messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"tiny","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", "messages[0].content[0].type")]
    [InlineData("""[1,2]""", null)]
    [InlineData("""{"model":""", null)]
    public async Task Malformed_requests_are_400_in_openai_error_shape(string body, string? param)
    {
        using var client = Served.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json(body));
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, null, "invalid_request_error");
        Assert.Equal(param, error.GetProperty("param").ValueKind == JsonValueKind.Null ? null : error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task An_unknown_model_is_404_model_not_found()
    {
        using var client = Served.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"""));
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "model_not_found", "not_found_error");
    }

    [Fact]
    public async Task Korean_text_in_errors_is_not_escaped()
    {
        using var client = Served.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"번역기","messages":[{"role":"user","content":"안녕하세요"}]}"""));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("'번역기'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_credential_the_model_api_answers_401_in_openai_error_shape()
    {
        using var anonymous = Served.Appliance.CreateClient();
        using var response = await anonymous.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"tiny","messages":[{"role":"user","content":"hi"}]}"""));
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, null, "authentication_error");
        using var models = await anonymous.GetAsync("/v1/models");
        await AssertErrorAsync(models, HttpStatusCode.Unauthorized, null, "authentication_error");
    }

    [Fact]
    public async Task Api_keys_reach_only_the_deployments_their_models_scopes_name()
    {
        using var admin = Served.Appliance.CreateAdminClient();
        using var agentOnly = Served.Appliance.CreateClientWith(await Served.Appliance.CreateApiKeyAsync(admin, """["test.echo/*"]"""));
        using var refused = await agentOnly.GetAsync("/v1/models");
        await AssertErrorAsync(refused, HttpStatusCode.Forbidden, "missing_scope", "permission_error");

        using var other = Served.Appliance.CreateClientWith(await Served.Appliance.CreateApiKeyAsync(admin, """["models:other"]"""));
        using var empty = await other.GetAsync("/v1/models");
        Assert.Empty((await TestAppliance.ReadJsonAsync(empty)).GetProperty("data").EnumerateArray());
        using var hidden = await other.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":1}"""));
        await AssertErrorAsync(hidden, HttpStatusCode.NotFound, "model_not_found", "not_found_error");

        foreach (var scope in new[] { "models:tiny", "models" })
        {
            using var allowed = Served.Appliance.CreateClientWith(await Served.Appliance.CreateApiKeyAsync(admin, $"[\"{scope}\"]"));
            using var ok = await allowed.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":1}"""));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            using var agents = await allowed.GetAsync("/v1/agents");
            Assert.Equal(HttpStatusCode.Forbidden, agents.StatusCode);
        }
    }

    [Fact]
    public async Task A_key_over_its_rate_limit_gets_429_in_openai_error_shape_with_retry_after()
    {
        using var admin = Served.Appliance.CreateAdminClient();
        using var client = Served.Appliance.CreateClientWith(await Served.Appliance.CreateApiKeyAsync(admin, """["models"]""", ""","requestsPerMinute":1"""));
        using var first = await client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var limited = await client.GetAsync("/v1/models");
        await AssertErrorAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited", "rate_limit_error");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    internal static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? code, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await TestAppliance.ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        if (code is not null)
        {
            Assert.Equal(code, error.GetProperty("code").GetString());
        }

        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        return error;
    }
}
