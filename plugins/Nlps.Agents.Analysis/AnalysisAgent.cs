using Nlps.Agents.Analysis.Contracts;
using Nlps.Agents.Analysis.Jobs;
using Nlps.Agents.Analysis.Tasks;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Operations;

namespace Nlps.Agents.Analysis;

/// <summary>The analysis agent: a task catalogue run one input at a time or as batch jobs.</summary>
public sealed class AnalysisAgent : IAgent
{
    private TaskCatalog? catalog;
    private TaskRunner? runner;
    private BatchJobs? jobs;

    /// <inheritdoc />
    public async ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = AnalysisOptions.Read(context.Configuration);
        catalog = new TaskCatalog(options.Tasks);
        runner = new TaskRunner(context, catalog, new ModelTaskRunner(options.MaxAttempts));
        jobs = new BatchJobs(context, runner, catalog, TimeProvider.System);
        await jobs.ResumeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void ConfigureOperations(OperationCatalog operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var json = AnalysisJson.Default;
        operations
            .Add("tasks", json.Empty, json.TaskList, (_, _) => ValueTask.FromResult(new TaskList(Catalog.All
                .Select(t => new TaskDescription(t.Name, t.Description, t.Offline ? null : "chat", t.Needs, t.OutputSchema)).ToList())))
            .Add("run", json.RunRequest, json.RunResponse, async (request, ct) => await Runner.RunAsync(request.Task, request.Input, ct))
            .Add("batch", json.BatchRequest, json.BatchJob, async (request, ct) => await Jobs.StartAsync(request, ct))
            .Add("batch_status", json.BatchStatusRequest, json.BatchJob, async (request, ct) => await Jobs.GetAsync(request.JobId ?? string.Empty, ct));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (jobs is not null)
        {
            await jobs.DisposeAsync().ConfigureAwait(false);
        }
    }

    private TaskCatalog Catalog => catalog ?? throw new InvalidOperationException("not initialised");

    private TaskRunner Runner => runner ?? throw new InvalidOperationException("not initialised");

    private BatchJobs Jobs => jobs ?? throw new InvalidOperationException("not initialised");
}
