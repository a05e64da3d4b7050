using System.Net;
using System.Text.Json;
using Nlps.Api.Tests.Support;
using static Nlps.Api.Tests.OpenAi.ChatCompletionsApiTests;

namespace Nlps.Api.Tests.OpenAi;

public sealed class EmbeddingsApiTests(EmbeddingsApiFixture fixture) : IClassFixture<EmbeddingsApiFixture>
{
    [Fact]
    public async Task A_batch_returns_one_vector_per_input_in_order_with_usage_equal_to_the_engine()
    {
        using var client = fixture.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/embeddings", TestAppliance.Json("""{"model":"e5","input":["첫 번째 seoul","second passage"],"input_type":"passage"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestAppliance.ReadJsonAsync(response);
        var expected = fixture.Reference.Embed(["첫 번째 seoul", "second passage"], "passage: ", CancellationToken.None);
        Assert.Equal(("list", "e5"), (body.GetProperty("object").GetString(), body.GetProperty("model").GetString()));
        var data = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, data.Count);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(("embedding", i), (data[i].GetProperty("object").GetString(), data[i].GetProperty("index").GetInt32()));
            Assert.Equal(expected.Vectors[i], data[i].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        }

        Assert.Equal(expected.Tokens, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(expected.Tokens, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Base64_encoding_is_little_endian_float32_of_the_same_vector_and_a_bare_string_is_one_query()
    {
        using var client = fixture.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/embeddings", TestAppliance.Json("""{"model":"e5","input":"where","encoding_format":"base64"}"""));
        var body = await TestAppliance.ReadJsonAsync(response);
        byte[] bytes = Convert.FromBase64String(Assert.Single(body.GetProperty("data").EnumerateArray()).GetProperty("embedding").GetString()!);
        float[] vector = [.. Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4))];
        Assert.Equal(fixture.Reference.Embed(["where"], "query: ", CancellationToken.None).Vectors[0], vector);
    }

    [Theory]
    [InlineData("""{"model":"e5","input":[]}""", "input")]
    [InlineData("""{"model":"e5","input":["ok", 3]}""", "input[1]")]
    [InlineData("""{"model":"e5","input":["ok", ""]}""", "input[1]")]
    [InlineData("""{"model":"e5"}""", "input")]
    [InlineData("""{"input":"x"}""", "model")]
    [InlineData("""{"model":"e5","input":"x","encoding_format":"int8"}""", "encoding_format")]
    [InlineData("""{"model":"e5","input":"x","dimensions":8}""", "dimensions")]
    [InlineData("""{"model":"e5","input":"x","input_type":"document?"}""", "input_type")]
    public async Task Bad_requests_get_400_naming_the_field(string json, string param)
    {
        using var client = fixture.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/embeddings", TestAppliance.Json(json));
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, null, "invalid_request_error");
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("""{"model":"e5","input":[1734, 2]}""")]
    [InlineData("""{"model":"e5","input":[[1734, 2], [5]]}""")]
    public async Task Token_id_arrays_are_refused_with_a_message_saying_to_send_text(string json)
    {
        using var client = fixture.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/embeddings", TestAppliance.Json(json));
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "unsupported_value", "invalid_request_error");
        Assert.Contains("Send the text", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_input_over_the_model_limit_is_400_context_length_exceeded_by_the_refuse_policy()
    {
        using var client = fixture.Appliance.CreateAdminClient();
        string longText = string.Join(' ', Enumerable.Repeat("the", 40));
        using var response = await client.PostAsync("/v1/embeddings", TestAppliance.Json(JsonSerializer.Serialize(new { model = "e5", input = new[] { "fine", longText } })));
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "context_length_exceeded", "invalid_request_error");
        Assert.Contains("input 1", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_deployment_is_400_and_an_unknown_or_forbidden_one_404()
    {
        using var admin = fixture.Appliance.CreateAdminClient();
        using var chat = await admin.PostAsync("/v1/embeddings", TestAppliance.Json("""{"model":"tiny","input":"x"}"""));
        await AssertErrorAsync(chat, HttpStatusCode.BadRequest, "model_not_supported", "invalid_request_error");
        using var completion = await admin.PostAsync("/v1/chat/completions", TestAppliance.Json("""{"model":"e5","messages":[{"role":"user","content":"hi"}]}"""));
        await AssertErrorAsync(completion, HttpStatusCode.BadRequest, "model_not_supported", "invalid_request_error");
        using var unknown = await admin.PostAsync("/v1/embeddings", TestAppliance.Json("""{"model":"nope","input":"x"}"""));
        await AssertErrorAsync(unknown, HttpStatusCode.NotFound, "model_not_found", "not_found_error");

        using var other = fixture.Appliance.CreateClientWith(await fixture.Appliance.CreateApiKeyAsync(admin, """["models:tiny"]"""));
        using var hidden = await other.PostAsync("/v1/embeddings", TestAppliance.Json("""{"model":"e5","input":"x"}"""));
        await AssertErrorAsync(hidden, HttpStatusCode.NotFound, "model_not_found", "not_found_error");
        using var allowed = fixture.Appliance.CreateClientWith(await fixture.Appliance.CreateApiKeyAsync(admin, """["models:e5"]"""));
        using var ok = await allowed.PostAsync("/v1/embeddings", TestAppliance.Json("""{"model":"e5","input":"x"}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var anonymous = fixture.Appliance.CreateClient();
        using var refused = await anonymous.PostAsync("/v1/embeddings", TestAppliance.Json("""{"model":"e5","input":"x"}"""));
        await AssertErrorAsync(refused, HttpStatusCode.Unauthorized, null, "authentication_error");
    }
}
