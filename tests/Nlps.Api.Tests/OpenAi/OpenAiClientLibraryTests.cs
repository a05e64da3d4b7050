using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;

namespace Nlps.Api.Tests.OpenAi;

/// <summary>The official OpenAI .NET library (2.15) against /v1/chat/completions, in process.</summary>
public sealed class OpenAiClientLibraryTests(ServedModelFixture fixture) : IClassFixture<ServedModelFixture>
{
    private ServedModel Served => fixture.Served;

    [Fact]
    public async Task The_official_client_completes_a_chat_with_usage()
    {
        var expected = await Served.ExpectedAsync("hello world", maxTokens: 6, ignoreEos: false);
        ChatClient chat = Client(ServedModel.Deployment);
        ChatCompletion completion = await chat.CompleteChatAsync(
            [new UserChatMessage("hello world")],
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 6 });
        Assert.Equal(expected.Text, string.Concat(completion.Content.Select(c => c.Text)));
        Assert.Equal(expected.PromptTokens, completion.Usage.InputTokenCount);
        Assert.Equal(expected.CompletionTokens, completion.Usage.OutputTokenCount);
        Assert.Equal(ServedModel.Deployment, completion.Model);
    }

    [Fact]
    public async Task The_official_client_streams_text_and_the_usage_chunk()
    {
        var expected = await Served.ExpectedAsync("hello", maxTokens: 7);
        ChatClient chat = Client(ServedModel.Deployment);
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (StreamingChatCompletionUpdate update in chat.CompleteChatStreamingAsync([new UserChatMessage("hello")], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 7 }))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(c => c.Text)));
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(expected.Text, text.ToString());
        Assert.NotNull(usage);
        Assert.Equal((expected.PromptTokens, expected.CompletionTokens), (usage.InputTokenCount, usage.OutputTokenCount));
        Assert.Equal(expected.Reason == Inference.Engine.FinishReason.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length, finish);
    }

    [Fact]
    public async Task The_official_client_surfaces_errors_with_their_status()
    {
        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => Client("no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(404, unknown.Status);
        Assert.Contains("no-such-model", unknown.Message, StringComparison.Ordinal);

        var invalid = await Assert.ThrowsAsync<ClientResultException>(() => Client(ServedModel.Deployment).CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { TopP = 0 }));
        Assert.Equal(400, invalid.Status);
    }

    private ChatClient Client(string model)
    {
        HttpClient http = Served.Appliance.CreateClient();
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        return new ChatClient(model, new ApiKeyCredential(Served.Appliance.AdminToken()), options);
    }
}
