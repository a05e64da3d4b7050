using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Api.Tests.Support;
using Nlps.Inference.Models.Seq2Seq;
using Nlps.Plugins.Runtime;
using static Nlps.Api.Tests.OpenAi.ChatCompletionsApiTests;

namespace Nlps.Api.Tests.OpenAi;

public sealed class Seq2SeqApiTests(Seq2SeqApiFixture fixture) : IClassFixture<Seq2SeqApiFixture>
{
    private const string Source = "서울 아파트 금리 keywords";

    [Fact]
    public async Task A_single_user_message_is_the_source_and_the_reply_is_what_the_model_generates()
    {
        var expected = await fixture.Reference.GenerateAsync(Source, new Seq2SeqGenerationOptions { MaxNewTokens = 6 }, CancellationToken.None);
        using var client = fixture.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json($$"""{"model":"keywords","messages":[{"role":"user","content":"{{Source}}"}],"max_tokens":6}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestAppliance.ReadJsonAsync(response);
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal(expected.Text, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(expected.EndedWithEos ? "stop" : "length", choice.GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(expected.SourceTokens, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(expected.Tokens.Length, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(Source.Length + 2 * Source.Count(c => c > 0x7F), expected.SourceTokens); // one token per UTF-8 byte
    }

    [Fact]
    public async Task The_generate_role_gives_agents_a_chat_client_whose_beam_count_comes_from_additional_properties()
    {
        var roles = fixture.Appliance.Services.GetRequiredService<IModelRoleProvider>();
        IChatClient? chat = roles.GetChatClient("keyword-agent", "generate", out string reason);
        Assert.True(chat is not null, reason);

        // A source on which 4 beams find something greedy decoding does not, so the reply shows the beams were used.
        var beams = new Seq2SeqGenerationOptions { MaxNewTokens = 8, NumBeams = 4 };
        string? source = null;
        Inference.Seq2Seq.Seq2SeqTextResult? expected = null;
        foreach (string candidate in (string[])["서울 아파트 금리", "부산 날씨", "반도체 수출 전망", "keyword graph", "환율 상승 원인", "금리 인하"])
        {
            var greedy = await fixture.Reference.GenerateAsync(candidate, beams with { NumBeams = 1 }, CancellationToken.None);
            expected = await fixture.Reference.GenerateAsync(candidate, beams, CancellationToken.None);
            if (!greedy.Tokens.SequenceEqual(expected.Tokens))
            {
                source = candidate;
                break;
            }
        }

        Assert.True(source is not null, "beam search matched greedy decoding on every candidate source");
        ChatResponse reply = await chat.GetResponseAsync(
            [new ChatMessage(ChatRole.User, source)],
            new ChatOptions { MaxOutputTokens = 8, AdditionalProperties = new() { ["num_beams"] = 4 } });

        Assert.Equal(expected!.Text, reply.Text);
        Assert.Equal(expected.Tokens.Length, (int)reply.Usage!.OutputTokenCount!.Value);
    }

    [Theory]
    [InlineData("""[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"}]""", "3 message(s)")]
    [InlineData("""[{"role":"system","content":"be brief"},{"role":"user","content":"c"}]""", "system, user")]
    public async Task Anything_but_one_user_message_is_refused_with_400_saying_what_came(string messages, string detail)
    {
        using var client = fixture.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json($$"""{"model":"keywords","messages":{{messages}}}"""));

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_value", "invalid_request_error");
        Assert.Contains("single user message", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(detail, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_longer_than_the_positions_is_refused_with_both_counts()
    {
        string longSource = new('가', 30); // 90 byte tokens; the tiny model has 64 positions
        using var client = fixture.Appliance.CreateAdminClient();
        using var response = await client.PostAsync("/v1/chat/completions", TestAppliance.Json($$"""{"model":"keywords","messages":[{"role":"user","content":"{{longSource}}"}]}"""));

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "context_length_exceeded", "invalid_request_error");
        Assert.Contains("has 90 tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("at most 64", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
