using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Nlps.Agents.Chatbot.Contracts;
using Nlps.Agents.Chatbot.Extraction;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Storage;

namespace Nlps.Agents.Chatbot.Ingestion;

/// <summary>
/// Ingestion jobs. A job's files are staged under the agent's data folder and its record kept in the key/value
/// store, updated after every document; a job still "running" when the agent starts (nlpsd was stopped or killed)
/// resumes where it was, and documents already stored are skipped by their content hash, so nothing is lost or
/// stored twice. One document's failure is recorded in the report and the job goes on. A cancelled job stops after
/// the document in progress (a half-stored document has no record yet, so it counts as not ingested) and keeps its
/// report; ingesting the same documents again finishes it, skipping the ones already done.
/// </summary>
internal sealed partial class IngestionJobs(IAgentContext context, DocumentIngestor ingestor, TimeProvider timeProvider) : IAsyncDisposable
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";

    private readonly ConcurrentDictionary<string, RunningJob> running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
    private readonly ILogger logger = context.LoggerFactory.CreateLogger("Nlps.Agents.Chatbot.Ingestion");

    public async Task<IngestionJob> StartAsync(string kb, IReadOnlyList<UploadedDocument> documents, CancellationToken cancellationToken)
    {
        var id = $"{timeProvider.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..27];
        var folder = StagingFolder(id);
        Directory.CreateDirectory(folder);
        var items = new List<JobItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < documents.Count; i++)
        {
            var name = documents[i].Name;
            if (string.IsNullOrWhiteSpace(name) || name.Length > 400 || name.Contains('\0', StringComparison.Ordinal) || !seen.Add(name))
            {
                items.Add(new JobItem(name ?? string.Empty, JobItemStatus.Failed, "a document name must be 1-400 characters and unique within the request"));
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(documents[i].ContentBase64 ?? string.Empty);
            }
            catch (FormatException)
            {
                items.Add(new JobItem(name, JobItemStatus.Failed, $"{name}: contentBase64 is not valid base64"));
                continue;
            }

            await File.WriteAllBytesAsync(Path.Combine(folder, items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), bytes, cancellationToken).ConfigureAwait(false);
            items.Add(new JobItem(name, JobItemStatus.Pending));
        }

        var job = new IngestionJob(id, kb, Running, items.Count, items.Count(i => i.Status != JobItemStatus.Pending), items, []);
        await SaveAsync(job, cancellationToken).ConfigureAwait(false);
        Launch(job);
        return job;
    }

    public Task<IngestionJob> WaitAsync(string jobId, CancellationToken cancellationToken) =>
        running.TryGetValue(jobId, out var job) ? job.Task.WaitAsync(cancellationToken) : GetAsync(jobId, cancellationToken);

    /// <summary>Stops a running job after its current document; a job that already ended is returned as it is.</summary>
    public async Task<IngestionJob> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        if (running.TryGetValue(jobId, out var active))
        {
            await active.Cancel.CancelAsync().ConfigureAwait(false);
            try
            {
                return await active.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The agent is stopping: the job stays running and resumes at the next start.
            }
        }

        return await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IngestionJob> GetAsync(string jobId, CancellationToken cancellationToken) =>
        await context.Store.GetJsonAsync(JobKey(jobId), ChatbotJson.Default.IngestionJob, cancellationToken).ConfigureAwait(false)
            ?? throw new AgentOperationException("job_not_found", $"ingestion job '{jobId}' does not exist", 404);

    /// <summary>Restarts the jobs an earlier run of the agent left running.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        await foreach (var key in context.Store.ListKeysAsync("job/", cancellationToken).ConfigureAwait(false))
        {
            var job = await context.Store.GetJsonAsync(key, ChatbotJson.Default.IngestionJob, cancellationToken).ConfigureAwait(false);
            if (job?.State == Running)
            {
                Log.Resuming(logger, job.JobId, job.Processed, job.Total);
                Launch(job);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        foreach (var job in running.Values)
        {
            try
            {
                await job.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped mid-job: the job stays "running" and resumes at the next start.
            }

            job.Cancel.Dispose();
        }

        stopping.Dispose();
    }

    private void Launch(IngestionJob job)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        running[job.JobId] = new RunningJob(Task.Run(() => RunAsync(job, cancel.Token)), cancel);
    }

    private async Task<IngestionJob> RunAsync(IngestionJob job, CancellationToken cancellationToken)
    {
        try
        {
            return await IngestPendingAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            var saved = await GetAsync(job.JobId, CancellationToken.None).ConfigureAwait(false);
            var cancelled = saved with
            {
                State = Cancelled,
                Notes = [.. saved.Notes, $"cancelled after {saved.Processed} of {saved.Total} documents; ingest the same documents again to finish (documents already stored are skipped by content hash)"],
            };
            await SaveAsync(cancelled, CancellationToken.None).ConfigureAwait(false);
            TryDelete(StagingFolder(job.JobId));
            Log.Cancelled(logger, job.JobId, saved.Processed, saved.Total);
            return cancelled;
        }
    }

    private async Task<IngestionJob> IngestPendingAsync(IngestionJob job, CancellationToken cancellationToken)
    {
        var notes = job.Notes.ToList();
        IEmbeddingGenerator<string, Embedding<float>>? embedder = null;
        try
        {
            embedder = context.GetEmbeddingGenerator("embed");
        }
        catch (ModelRoleUnavailableException ex)
        {
            const string prefix = "dense index not built";
            if (!notes.Any(n => n.StartsWith(prefix, StringComparison.Ordinal)))
            {
                notes.Add($"{prefix}: {ex.Message}; BM25 search works, ingest again once an embedding model is deployed");
            }
        }

        var items = job.Items.ToList();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Status != JobItemStatus.Pending)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            items[i] = await IngestOneAsync(job, i, items[i].DocumentId, embedder, cancellationToken).ConfigureAwait(false);
            job = job with { Items = items.ToList(), Processed = items.Count(x => x.Status != JobItemStatus.Pending), Notes = notes };
            await SaveAsync(job, CancellationToken.None).ConfigureAwait(false);
        }

        job = job with { State = Completed, Items = items, Processed = items.Count, Notes = notes };
        await SaveAsync(job, CancellationToken.None).ConfigureAwait(false);
        TryDelete(StagingFolder(job.JobId));
        Log.Completed(logger, job.JobId, job.Ingested, job.Skipped, job.Failed);
        return job;
    }

    private async Task<JobItem> IngestOneAsync(IngestionJob job, int index, string documentId, IEmbeddingGenerator<string, Embedding<float>>? embedder, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(StagingFolder(job.JobId), index.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
            return await ingestor.IngestAsync(job.Kb, documentId, bytes, embedder, cancellationToken).ConfigureAwait(false);
        }
        catch (ExtractionException ex)
        {
            Log.DocumentFailed(logger, job.JobId, documentId, ex.Message);
            return new JobItem(documentId, JobItemStatus.Failed, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.DocumentFailed(logger, job.JobId, documentId, ex.Message);
            return new JobItem(documentId, JobItemStatus.Failed, $"{documentId}: ingestion failed ({ex.GetType().Name}: {ex.Message})");
        }
    }

    private Task SaveAsync(IngestionJob job, CancellationToken cancellationToken) =>
        context.Store.SetJsonAsync(JobKey(job.JobId), job, ChatbotJson.Default.IngestionJob, cancellationToken).AsTask();

    private static string JobKey(string jobId) => $"job/{jobId}";

    private string StagingFolder(string jobId) => Path.Combine(context.DataDirectory, "jobs", jobId);

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Staged copies are only needed to resume; a leftover folder costs disk, not correctness.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "IngestionResuming", Level = LogLevel.Information, Message = "Resuming ingestion job {JobId} at {Processed}/{Total}")]
        public static partial void Resuming(ILogger logger, string jobId, int processed, int total);

        [LoggerMessage(EventId = 2, EventName = "IngestionCompleted", Level = LogLevel.Information, Message = "Ingestion job {JobId} done: {Ingested} ingested, {Skipped} unchanged, {Failed} failed")]
        public static partial void Completed(ILogger logger, string jobId, int ingested, int skipped, int failed);

        [LoggerMessage(EventId = 3, EventName = "IngestionDocumentFailed", Level = LogLevel.Warning, Message = "Ingestion job {JobId}: {DocumentId} failed: {Reason}")]
        public static partial void DocumentFailed(ILogger logger, string jobId, string documentId, string reason);

        [LoggerMessage(EventId = 4, EventName = "IngestionCancelled", Level = LogLevel.Information, Message = "Ingestion job {JobId} cancelled at {Processed}/{Total}")]
        public static partial void Cancelled(ILogger logger, string jobId, int processed, int total);
    }

    /// <summary>A job running in this process and the switch that cancels it.</summary>
    private sealed record RunningJob(Task<IngestionJob> Task, CancellationTokenSource Cancel);
}
