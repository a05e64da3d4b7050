using System.Text.Json;
using Nlps.Agents.Analysis.Contracts;
using Nlps.Agents.Analysis.Text;
using Nlps.Sdk.Agents;

namespace Nlps.Agents.Analysis.Tasks;

/// <summary>Runs any catalogue task: offline ones in the agent, model ones through the chat role.</summary>
internal sealed class TaskRunner(IAgentContext context, TaskCatalog catalog, ModelTaskRunner models)
{
    public const int MaxTextLength = 200_000;

    public async Task<RunResponse> RunAsync(string taskName, TaskInput? input, CancellationToken cancellationToken)
    {
        var task = catalog.Find(taskName ?? string.Empty)
            ?? throw new AgentOperationException("task_not_found", $"no task '{taskName}'; see the 'tasks' operation for the catalogue", 404);
        if (input is null || string.IsNullOrWhiteSpace(input.Text))
        {
            throw new AgentOperationException("empty_input", "input.text is empty");
        }

        if (input.Text.Length > MaxTextLength)
        {
            throw new AgentOperationException("input_too_long", $"input.text has {input.Text.Length} characters; the limit is {MaxTextLength}");
        }

        return task.Name switch
        {
            TaskCatalog.ExtractiveSummary => new RunResponse(task.Name, JsonSerializer.SerializeToElement(ExtractiveSummarizer.Summarize(input.Text), AnalysisJson.Default.SummaryOutput), 0),
            TaskCatalog.Keywords => new RunResponse(task.Name, JsonSerializer.SerializeToElement(KeywordExtractor.Extract(input.Text), AnalysisJson.Default.KeywordOutput), 0),
            _ => await models.RunAsync(context.GetChatClient("chat"), task, input, cancellationToken).ConfigureAwait(false),
        };
    }
}
