using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Nlps.Agents.Text.Segmentation;
using Nlps.Agents.Translator.Contracts;
using Nlps.Agents.Translator.Documents;
using Nlps.Agents.Translator.Translation;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Storage;

namespace Nlps.Agents.Translator.Jobs;

/// <summary>
/// Document translation jobs, kept so that no finished segment is translated twice. The document is staged in the
/// agent's data folder; every segment's result is written to the key/value store as soon as it is done, then the
/// job record with the new count. A job still running when the agent starts (nlpsd was stopped or killed, the plugin
/// restarted) resumes with the segments that have no stored result. A cancelled job stops at once (a batch in flight
/// is dropped and done again later) and keeps its results; a job whose model call fails is marked failed with the
/// reason. Starting the same document with the same options again resumes such a job under its id. Results stay until
/// the job is deleted, or until <see cref="DocumentJobRetention"/> removes it some time after it finished.
/// </summary>
internal sealed partial class DocumentJobs(
    IAgentContext context,
    Func<string, byte[], TranslatableDocument> read,
    Func<IReadOnlyList<TextSegment>, int, bool, TranslationRun> prepare,
    TimeProvider timeProvider) : IAsyncDisposable
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";

    private const string JobPrefix = "docjob/";

    private readonly ConcurrentDictionary<string, RunningJob> running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim starting = new(1, 1);
    private readonly CancellationTokenSource stopping = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
    private readonly ILogger logger = context.LoggerFactory.CreateLogger("Nlps.Agents.Translator.Jobs");

    /// <summary>Starts a job for a document already read and checked, or resumes the unfinished job for the same document and options.</summary>
    public async Task<DocumentJob> StartAsync(string name, byte[] content, int segments, int examples, bool retry, CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var openKey = OpenKey(name, sha256, examples, retry);
        await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await context.Store.GetStringAsync(openKey, cancellationToken).ConfigureAwait(false) is { } openId
                && await FindAsync(openId, cancellationToken).ConfigureAwait(false) is { State: not Completed } open)
            {
                return await ResumeOneAsync(open, cancellationToken).ConfigureAwait(false);
            }

            var id = $"{timeProvider.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..27];
            Directory.CreateDirectory(StagingFolder);
            var staged = SourcePath(id);
            await File.WriteAllBytesAsync(staged + ".tmp", content, cancellationToken).ConfigureAwait(false);
            File.Move(staged + ".tmp", staged, overwrite: true);
            var job = new DocumentJob(id, name, Running, segments, 0, examples, retry, null, null, sha256, timeProvider.GetUtcNow());
            await SaveAsync(job, cancellationToken).ConfigureAwait(false);
            await context.Store.SetStringAsync(openKey, id, cancellationToken).ConfigureAwait(false);
            Launch(job);
            Log.Started(logger, id, segments);
            return job;
        }
        finally
        {
            starting.Release();
        }
    }

    // An unknown job and one deleted or removed after its retention get the same answer: nothing tells them apart.
    public async Task<DocumentJob> GetAsync(string jobId, CancellationToken cancellationToken) =>
        await FindAsync(jobId, cancellationToken).ConfigureAwait(false)
            ?? throw new AgentOperationException(
                "job_not_found",
                $"document job '{jobId}' was not found: there is no such job, or it was deleted, or it expired (finished jobs are removed documentJobRetentionHours after they finish)",
                404);

    /// <summary>The job once it is no longer running in this process.</summary>
    public async Task<DocumentJob> WaitAsync(string jobId, CancellationToken cancellationToken)
    {
        if (running.TryGetValue(jobId, out var active))
        {
            try
            {
                await active.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The agent is stopping: the stored record says where the job stands.
            }
        }

        return await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops a running job, keeping the segments done so far; a job that is not running is returned as it is.</summary>
    public async Task<DocumentJob> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        if (running.TryGetValue(jobId, out var active))
        {
            await active.Cancel.CancelAsync().ConfigureAwait(false);
        }

        return await WaitAsync(jobId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The translated document of a completed job.</summary>
    public async Task<TranslatedDocument> ResultAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job.State != Completed)
        {
            var reason = job.Error is null ? string.Empty : $": {job.Error}";
            throw new AgentOperationException("job_not_completed", $"document job '{jobId}' is {job.State} ({job.Processed} of {job.Total} segments){reason}", 409);
        }

        var document = read(job.Name, await File.ReadAllBytesAsync(SourcePath(jobId), cancellationToken).ConfigureAwait(false));
        var done = await LoadSegmentsAsync(jobId, cancellationToken).ConfigureAwait(false);
        return TranslationPipeline.Document(job.Name, document, [.. done.Values.OrderBy(s => s.Index)], job.Memory ?? "off");
    }

    /// <summary>Removes a job that is not running: its record, its results and its staged document.</summary>
    public async Task<DocumentJobDeleted> DeleteAsync(string jobId, CancellationToken cancellationToken)
    {
        await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await FindAsync(jobId, cancellationToken).ConfigureAwait(false) is not { } job)
            {
                return new DocumentJobDeleted(jobId, false);
            }

            if (IsRunning(job))
            {
                throw new AgentOperationException("job_running", $"document job '{jobId}' is running; cancel it first", 409);
            }

            await RemoveAsync(job, cancellationToken).ConfigureAwait(false);
            return new DocumentJobDeleted(jobId, true);
        }
        finally
        {
            starting.Release();
        }
    }

    /// <summary>
    /// Removes every job that finished (completed, cancelled or failed) at or before <paramref name="cutoff"/>, with its
    /// results and staged document; returns how many. A job stored without a finish time (by a version that stamped only
    /// completed jobs) gets the current time, so it is kept for a whole retention from now. Running jobs stay.
    /// </summary>
    public async Task<int> RemoveFinishedAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var key in context.Store.ListKeysAsync(JobPrefix, cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key);
        }

        var removed = 0;
        foreach (var key in keys)
        {
            // Under the start lock, so a job that a start is resuming right now is seen running, not removed.
            await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (await context.Store.GetJsonAsync(key, TranslatorJson.Default.DocumentJob, cancellationToken).ConfigureAwait(false) is not { } job || IsRunning(job))
                {
                    continue;
                }

                if (job.Finished is null)
                {
                    await SaveAsync(job with { Finished = timeProvider.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
                }
                else if (job.Finished <= cutoff)
                {
                    await RemoveAsync(job, cancellationToken).ConfigureAwait(false);
                    Log.Expired(logger, job.JobId, job.State, job.Finished.Value);
                    removed++;
                }
            }
            finally
            {
                starting.Release();
            }
        }

        return removed;
    }

    /// <summary>Restarts the jobs an earlier run of the agent left running.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        await foreach (var key in context.Store.ListKeysAsync(JobPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (await context.Store.GetJsonAsync(key, TranslatorJson.Default.DocumentJob, cancellationToken).ConfigureAwait(false) is { State: Running } job)
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
                // Stopped mid-job: it stays "running" and resumes at the next start.
            }

            job.Cancel.Dispose();
        }

        stopping.Dispose();
        starting.Dispose();
    }

    private async Task<DocumentJob> ResumeOneAsync(DocumentJob job, CancellationToken cancellationToken)
    {
        if (running.TryGetValue(job.JobId, out var active))
        {
            if (job.State == Running && !active.Task.IsCompleted)
            {
                return job;
            }

            // A cancel that gave up waiting may leave the old run finishing: let it end before a new one starts.
            try
            {
                await active.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // It ended cancelled, as asked.
            }

            job = await GetAsync(job.JobId, cancellationToken).ConfigureAwait(false);
        }

        var resumed = job with { State = Running, Error = null, Finished = null };
        await SaveAsync(resumed, cancellationToken).ConfigureAwait(false);
        Log.Resuming(logger, job.JobId, job.Processed, job.Total);
        Launch(resumed);
        return resumed;
    }

    private void Launch(DocumentJob job)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        if (running.TryGetValue(job.JobId, out var previous))
        {
            previous.Cancel.Dispose();
        }

        running[job.JobId] = new RunningJob(Task.Run(() => RunAsync(job, cancel.Token)), cancel);
    }

    private async Task<DocumentJob> RunAsync(DocumentJob job, CancellationToken cancellationToken)
    {
        try
        {
            return await TranslatePendingAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw; // the agent is stopping: the job stays "running" and resumes at the next start
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var cancelled = await GetAsync(job.JobId, CancellationToken.None).ConfigureAwait(false) with { State = Cancelled, Finished = timeProvider.GetUtcNow() };
            await SaveAsync(cancelled, CancellationToken.None).ConfigureAwait(false);
            Log.Cancelled(logger, job.JobId, cancelled.Processed, cancelled.Total);
            return cancelled;
        }
        catch (Exception ex)
        {
            var reason = ex is AgentOperationException problem ? $"{problem.ErrorCode}: {problem.Message}" : $"{ex.GetType().Name}: {ex.Message}";
            var failed = await GetAsync(job.JobId, CancellationToken.None).ConfigureAwait(false) with { State = Failed, Error = reason, Finished = timeProvider.GetUtcNow() };
            await SaveAsync(failed, CancellationToken.None).ConfigureAwait(false);
            Log.Failed(logger, job.JobId, failed.Processed, failed.Total, reason);
            return failed;
        }
    }

    private async Task<DocumentJob> TranslatePendingAsync(DocumentJob job, CancellationToken cancellationToken)
    {
        var document = read(job.Name, await File.ReadAllBytesAsync(SourcePath(job.JobId), cancellationToken).ConfigureAwait(false));
        var done = await LoadSegmentsAsync(job.JobId, cancellationToken).ConfigureAwait(false);
        var run = prepare(document.Segments, job.Examples, job.Retry);
        job = job with { Memory = run.MemoryStatus, Processed = done.Count };
        await SaveAsync(job, cancellationToken).ConfigureAwait(false);
        var pending = document.Segments.Where(s => !done.ContainsKey(s.Index)).ToList();
        await foreach (var segment in run.TranslateAsync(pending, cancellationToken).ConfigureAwait(false))
        {
            // Written before the count, so a crash in between only makes the count catch up at the next start.
            await context.Store.SetJsonAsync(SegmentKey(job.JobId, segment.Index), segment, TranslatorJson.Default.SegmentTranslation, CancellationToken.None).ConfigureAwait(false);
            done[segment.Index] = segment;
            job = job with { Processed = done.Count };
            await SaveAsync(job, CancellationToken.None).ConfigureAwait(false);
        }

        job = job with { State = Completed, Finished = timeProvider.GetUtcNow() };
        await SaveAsync(job, CancellationToken.None).ConfigureAwait(false);
        Log.Completed(logger, job.JobId, job.Total);
        return job;
    }

    // A job counts as running while its record says so or its run in this process has not ended (a cancelled run
    // stores its final state just before it ends).
    private bool IsRunning(DocumentJob job) =>
        job.State == Running || (running.TryGetValue(job.JobId, out var active) && !active.Task.IsCompleted);

    private async Task RemoveAsync(DocumentJob job, CancellationToken cancellationToken)
    {
        await foreach (var key in context.Store.ListKeysAsync(SegmentPrefix(job.JobId), cancellationToken).ConfigureAwait(false))
        {
            await context.Store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }

        File.Delete(SourcePath(job.JobId));

        // The document's open key may name a newer job for the same document by now; that one keeps it.
        var openKey = OpenKey(job.Name, job.Sha256, job.Examples, job.Retry);
        if (await context.Store.GetStringAsync(openKey, cancellationToken).ConfigureAwait(false) == job.JobId)
        {
            await context.Store.DeleteAsync(openKey, cancellationToken).ConfigureAwait(false);
        }

        await context.Store.DeleteAsync(JobKey(job.JobId), cancellationToken).ConfigureAwait(false);
        if (running.TryRemove(job.JobId, out var ended))
        {
            ended.Cancel.Dispose();
        }
    }

    private async Task<Dictionary<int, SegmentTranslation>> LoadSegmentsAsync(string jobId, CancellationToken cancellationToken)
    {
        var done = new Dictionary<int, SegmentTranslation>();
        await foreach (var key in context.Store.ListKeysAsync(SegmentPrefix(jobId), cancellationToken).ConfigureAwait(false))
        {
            if (await context.Store.GetJsonAsync(key, TranslatorJson.Default.SegmentTranslation, cancellationToken).ConfigureAwait(false) is { } segment)
            {
                done[segment.Index] = segment;
            }
        }

        return done;
    }

    private async Task<DocumentJob?> FindAsync(string jobId, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(jobId) ? null : await context.Store.GetJsonAsync(JobKey(jobId), TranslatorJson.Default.DocumentJob, cancellationToken).ConfigureAwait(false);

    private Task SaveAsync(DocumentJob job, CancellationToken cancellationToken) =>
        context.Store.SetJsonAsync(JobKey(job.JobId), job, TranslatorJson.Default.DocumentJob, cancellationToken).AsTask();

    // The unfinished job of one document with one set of options, which starting it again resumes.
    private static string OpenKey(string name, string sha256, int examples, bool retry) =>
        "docjob-open/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{name}\0{sha256}\0{examples}\0{retry}"))));

    private static string JobKey(string jobId) => JobPrefix + jobId;

    private static string SegmentPrefix(string jobId) => $"docjob-segment/{jobId}/";

    private static string SegmentKey(string jobId, int index) => SegmentPrefix(jobId) + index.ToString("D7", CultureInfo.InvariantCulture);

    private string StagingFolder => Path.Combine(context.DataDirectory, "document-jobs");

    private string SourcePath(string jobId) => Path.Combine(StagingFolder, jobId + ".source");

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "DocumentJobStarted", Level = LogLevel.Information, Message = "Document job {JobId} started: {Total} segments")]
        public static partial void Started(ILogger logger, string jobId, int total);

        [LoggerMessage(EventId = 2, EventName = "DocumentJobResuming", Level = LogLevel.Information, Message = "Document job {JobId} resuming at {Processed}/{Total}")]
        public static partial void Resuming(ILogger logger, string jobId, int processed, int total);

        [LoggerMessage(EventId = 3, EventName = "DocumentJobCompleted", Level = LogLevel.Information, Message = "Document job {JobId} completed: {Total} segments")]
        public static partial void Completed(ILogger logger, string jobId, int total);

        [LoggerMessage(EventId = 4, EventName = "DocumentJobCancelled", Level = LogLevel.Information, Message = "Document job {JobId} cancelled at {Processed}/{Total}")]
        public static partial void Cancelled(ILogger logger, string jobId, int processed, int total);

        [LoggerMessage(EventId = 5, EventName = "DocumentJobFailed", Level = LogLevel.Warning, Message = "Document job {JobId} failed at {Processed}/{Total}: {Reason}")]
        public static partial void Failed(ILogger logger, string jobId, int processed, int total, string reason);

        [LoggerMessage(EventId = 6, EventName = "DocumentJobExpired", Level = LogLevel.Information, Message = "Document job {JobId} ({State} at {Finished:u}) removed with its results: its retention ended")]
        public static partial void Expired(ILogger logger, string jobId, string state, DateTimeOffset finished);
    }

    /// <summary>A job running in this process and the switch that cancels it.</summary>
    private sealed record RunningJob(Task<DocumentJob> Task, CancellationTokenSource Cancel);
}
