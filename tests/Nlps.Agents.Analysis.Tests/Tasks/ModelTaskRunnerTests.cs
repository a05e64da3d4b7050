using System.Text.Json;
using Nlps.Agents.Analysis.Contracts;
using Nlps.Agents.Analysis.Tasks;
using Nlps.Agents.Analysis.Tests.Support;
using Nlps.Sdk.Agents;

namespace Nlps.Agents.Analysis.Tests.Tasks;

public sealed class ModelTaskRunnerTests
{
    private static readonly TaskCatalog Catalog = new(new Dictionary<string, TaskDefinition>());

    [Fact]
    public async Task Valid_json_in_a_code_fence_is_accepted_on_the_first_attempt()
    {
        var chat = new ScriptedChatClient("```json\n{\"label\":\"긍정\"}\n```");

        var result = await new ModelTaskRunner(3).RunAsync(chat, Catalog.Find("classify")!, new TaskInput("서비스가 친절했어요", Labels: ["긍정", "부정"]), CancellationToken.None);

        Assert.Equal(1, result.Attempts);
        Assert.Equal("긍정", result.Output.GetProperty("label").GetString());
        Assert.Contains("긍정, 부정", chat.Requests[0][1].Text, StringComparison.Ordinal);
        Assert.Contains("\"required\":[\"label\"]", chat.Requests[0][0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_output_is_retried_with_the_schema_error_until_it_is_valid()
    {
        var chat = new ScriptedChatClient("요약입니다", "{\"answer\":\"maybe\",\"evidence\":\"x\"}", "{\"answer\":\"yes\",\"evidence\":\"금리는 동결되었다.\"}");

        var result = await new ModelTaskRunner(3).RunAsync(chat, Catalog.Find("qa_yes_no")!, new TaskInput("금리는 동결되었다.", Question: "금리가 동결되었나?"), CancellationToken.None);

        Assert.Equal(3, result.Attempts);
        Assert.Equal("yes", result.Output.GetProperty("answer").GetString());
        Assert.Contains("not valid JSON", chat.Requests[1][^1].Text, StringComparison.Ordinal);
        Assert.Contains("$.answer must be one of [\"yes\",\"no\"]", chat.Requests[2][^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_never_gives_valid_output_fails_with_invalid_model_output_after_the_attempt_limit()
    {
        var chat = new ScriptedChatClient("{\"title\": 42}");

        var error = await Assert.ThrowsAsync<AgentOperationException>(() =>
            new ModelTaskRunner(2).RunAsync(chat, Catalog.Find("title")!, new TaskInput("본문"), CancellationToken.None));

        Assert.Equal("invalid_model_output", error.ErrorCode);
        Assert.Equal(502, error.StatusCode);
        Assert.Contains("in 2 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.title must be string", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, chat.Requests.Count);
    }

    [Fact]
    public async Task A_task_input_missing_what_the_task_needs_is_refused_before_asking_the_model()
    {
        var chat = new ScriptedChatClient("{}");

        var error = await Assert.ThrowsAsync<AgentOperationException>(() =>
            new ModelTaskRunner(3).RunAsync(chat, Catalog.Find("qa_multiple_choice")!, new TaskInput("본문", Question: "무엇?"), CancellationToken.None));

        Assert.Equal("missing_input", error.ErrorCode);
        Assert.Contains("input.choices", error.Message, StringComparison.Ordinal);
        Assert.Empty(chat.Requests);
    }

    [Theory]
    [InlineData("""{"keywords":["금리","환율"]}""", null)]
    [InlineData("""{"keywords":"금리"}""", "$.keywords must be array")]
    [InlineData("""{"keywords":["금리",3]}""", "$.keywords[1] must be string")]
    [InlineData("""{}""", "$.keywords is required")]
    [InlineData("""[]""", "$ must be object")]
    public void The_schema_validator_names_the_first_violation_by_its_path(string json, string? expected)
    {
        var schema = Catalog.Find("keywords")!.OutputSchema;

        Assert.Equal(expected, JsonSchemaValidator.Validate(JsonDocument.Parse(json).RootElement, schema)?.Split(", not")[0]);
    }
}
