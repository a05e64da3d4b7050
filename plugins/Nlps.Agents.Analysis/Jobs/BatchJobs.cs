using System.Collections.Concurrent;
using Nlps.Agents.Analysis.Contracts;
using Nlps.Agents.Analysis.Tasks;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Storage;

namespace Nlps.Agents.Analysis.Jobs;

/// <summary>
/// Batch jobs kept in the agent's key/value store: inputs once, the job record (with every result so far) after each
/// input. A job still running when the agent starts again resumes at its first pending input; one input's failure
/// is recorded with its reason and the batch goes on.
/// </summary>
internal sealed class BatchJobs(IAgentContext context, TaskRunner runner, TaskCatalog catalog, TimeProvider timeProvider) : IAsyncDisposable
{
    public const int MaxInputs = 10_000;

    private readonly ConcurrentDictionary<string, Task> running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);

    public async Task<BatchJob> StartAsync(BatchRequest request, CancellationToken cancellationToken)
    {
        if (catalog.Find(request.Task ?? string.Empty) is null)
        {
            throw new AgentOperationException("task_not_found", $"no task '{request.Task}'", 404);
        }

        if (request.Inputs is not { Count: > 0 and <= MaxInputs })
        {
            throw new AgentOperationException("invalid_batch", $"a batch has 1 to {MaxInputs} inputs");
        }

        var id = $"{timeProvider.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..27];
        await context.Store.SetJsonAsync($"batch-inputs/{id}", new BatchInputs(request.Inputs), AnalysisJson.Default.BatchInputs, cancellationToken).ConfigureAwait(false);
        var job = new BatchJob(id, request.Task!, "running", request.Inputs.Count, 0, 0, Enumerable.Range(0, request.Inputs.Count).Select(i => new BatchItem(i, "pending")).ToList());
        await SaveAsync(job, cancellationToken).ConfigureAwait(false);
        Launch(job);
        return job;
    }

    public async Task<BatchJob> GetAsync(string jobId, CancellationToken cancellationToken) =>
        await context.Store.GetJsonAsync($"batch/{jobId}", AnalysisJson.Default.BatchJob, cancellationToken).ConfigureAwait(false)
            ?? throw new AgentOperationException("job_not_found", $"batch job '{jobId}' does not exist", 404);

    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        await foreach (var key in context.Store.ListKeysAsync("batch/", cancellationToken).ConfigureAwait(false))
        {
            var job = await context.Store.GetJsonAsync(key, AnalysisJson.Default.BatchJob, cancellationToken).ConfigureAwait(false);
            if (job?.State == "running")
            {
                Launch(job);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        foreach (var task in running.Values)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped mid-batch: it stays "running" and resumes at the next start.
            }
        }

        stopping.Dispose();
    }

    private void Launch(BatchJob job) => running[job.JobId] = Task.Run(() => RunAsync(job, stopping.Token));

    private async Task RunAsync(BatchJob job, CancellationToken cancellationToken)
    {
        var inputs = (await context.Store.GetJsonAsync($"batch-inputs/{job.JobId}", AnalysisJson.Default.BatchInputs, cancellationToken).ConfigureAwait(false))?.Inputs ?? [];
        var items = job.Items.ToList();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Status != "pending")
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var result = await runner.RunAsync(job.Task, i < inputs.Count ? inputs[i] : null, cancellationToken).ConfigureAwait(false);
                items[i] = new BatchItem(i, "done", result.Output);
            }
            catch (AgentOperationException ex)
            {
                items[i] = new BatchItem(i, "failed", Error: $"{ex.ErrorCode}: {ex.Message}");
            }

            job = job with { Items = items.ToList(), Done = items.Count(x => x.Status == "done"), Failed = items.Count(x => x.Status == "failed") };
            await SaveAsync(job, CancellationToken.None).ConfigureAwait(false);
        }

        await SaveAsync(job with { State = "completed" }, CancellationToken.None).ConfigureAwait(false);
        await context.Store.DeleteAsync($"batch-inputs/{job.JobId}", CancellationToken.None).ConfigureAwait(false);
    }

    private Task SaveAsync(BatchJob job, CancellationToken cancellationToken) =>
        context.Store.SetJsonAsync($"batch/{job.JobId}", job, AnalysisJson.Default.BatchJob, cancellationToken).AsTask();
}
