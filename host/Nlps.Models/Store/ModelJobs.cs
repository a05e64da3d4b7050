using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Nlps.Models.Store;

/// <summary>
/// Long store operations (import, verify) run in the background so the admin API can answer at once and the console
/// or nlpsctl can poll progress. Jobs live in memory: after a restart an interrupted import is started again and
/// resumes from its staging folder.
/// </summary>
public sealed partial class ModelJobs : IDisposable
{
    private readonly ModelStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public ModelJobs(ModelStore store, TimeProvider? timeProvider = null, ILogger<ModelJobs>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ModelJobs>.Instance;
    }

    /// <summary>Starts importing <paramref name="source"/>; cheap checks (folder, id, config.json, tokenizer.json) refuse at once.</summary>
    public ModelJobStatus StartImport(string source, string? id)
    {
        string modelId = _store.PrecheckImport(source, id);
        string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(source));
        if (_jobs.Values.Any(j => j.Kind == "import" && j.ModelId == modelId && j.State == ModelJobState.Running))
        {
            throw new ModelStoreException("import_in_progress", $"model '{modelId}' is already being imported");
        }

        return Start("import", modelId, folder, async job =>
            await _store.ImportAsync(folder, modelId, job, job.Cancellation.Token).ConfigureAwait(false));
    }

    /// <summary>
    /// Starts importing the PEFT adapter folder <paramref name="source"/> onto stored model <paramref name="baseId"/> (default:
    /// the one adapter_config.json names) as <paramref name="name"/> (default: the folder's name); the job's model id is
    /// <c>base:name</c>. A missing base, an existing adapter or a folder without adapter_config.json is refused at once.
    /// </summary>
    public async Task<ModelJobStatus> StartAdapterImportAsync(string source, string? baseId, string? name, CancellationToken cancellationToken)
    {
        (string resolved, string adapter) = await _store.PrecheckAdapterImportAsync(source, baseId, name, cancellationToken).ConfigureAwait(false);
        string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(source));
        string jobModel = $"{resolved}:{adapter}";
        if (_jobs.Values.Any(j => j.ModelId == jobModel && j.State == ModelJobState.Running))
        {
            throw new ModelStoreException("import_in_progress", $"adapter '{adapter}' of model '{resolved}' is already being imported");
        }

        return Start("import-adapter", jobModel, folder, async job =>
            await _store.ImportAdapterAsync(folder, resolved, adapter, job, job.Cancellation.Token).ConfigureAwait(false));
    }

    public ModelJobStatus StartVerify(string id)
    {
        StorePaths.ValidateId(id);
        if (!Directory.Exists(_store.ModelFolder(id)))
        {
            throw new ModelStoreException("model_not_found", $"no model '{id}' in the store");
        }

        return Start("verify", id, null, async job =>
            job.Verification = await _store.VerifyAsync(id, job, job.Cancellation.Token).ConfigureAwait(false));
    }

    public ModelJobStatus? Get(string jobId) => _jobs.TryGetValue(jobId, out Job? job) ? job.Status() : null;

    public IReadOnlyList<ModelJobStatus> List() => _jobs.Values.Select(j => j.Status()).OrderBy(s => s.StartedAt).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();

    /// <summary>Asks a running job to stop; null when there is no such job.</summary>
    public ModelJobStatus? Cancel(string jobId)
    {
        if (!_jobs.TryGetValue(jobId, out Job? job))
        {
            return null;
        }

        job.Cancellation.Cancel();
        return job.Status();
    }

    /// <summary>The job's status once it has finished or <paramref name="wait"/> has passed, whichever is first.</summary>
    public async Task<ModelJobStatus?> WaitAsync(string jobId, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue(jobId, out Job? job))
        {
            return null;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.WhenAny(job.Completion.Task, Task.Delay(wait, _timeProvider, cancellationToken)).ConfigureAwait(false);
        }

        return job.Status();
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private ModelJobStatus Start(string kind, string modelId, string? source, Func<Job, Task> work)
    {
        var job = new Job(Guid.NewGuid().ToString("N")[..12], kind, modelId, source, _timeProvider, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token));
        _jobs[job.Id] = job;
        _ = Task.Run(() => RunAsync(job, work));
        return job.Status();
    }

    private async Task RunAsync(Job job, Func<Job, Task> work)
    {
        try
        {
            await work(job).ConfigureAwait(false);
            job.Finish(ModelJobState.Succeeded, null, null);
        }
        catch (ModelStoreException ex)
        {
            job.Finish(ModelJobState.Failed, ex.Code, ex.Message);
        }
        catch (OperationCanceledException)
        {
            job.Finish(ModelJobState.Cancelled, null, "cancelled; starting the import again resumes it");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ModelFormatException)
        {
            job.Finish(ModelJobState.Failed, ex is ModelFormatException ? "invalid_model" : "io_error", ex.Message);
        }
        finally
        {
            job.Cancellation.Dispose();
        }

        Log.JobFinished(_logger, job.Id, job.Kind, job.ModelId, job.State.ToString(), job.Error);
    }

    private sealed class Job(string id, string kind, string modelId, string? source, TimeProvider timeProvider, CancellationTokenSource cancellation) : IProgress<ImportProgress>
    {
        private readonly Lock _gate = new();
        private readonly DateTimeOffset _startedAt = timeProvider.GetUtcNow();
        private ImportProgress? _progress;
        private DateTimeOffset? _finishedAt;
        private string? _errorCode;

        public string Id { get; } = id;

        public string Kind { get; } = kind;

        public string ModelId { get; } = modelId;

        public ModelJobState State { get; private set; }

        public string? Error { get; private set; }

        public VerificationReport? Verification { get; set; }

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Report(ImportProgress value)
        {
            lock (_gate)
            {
                _progress = value;
            }
        }

        public void Finish(ModelJobState state, string? code, string? error)
        {
            lock (_gate)
            {
                State = state;
                _errorCode = code;
                Error = error;
                _finishedAt = timeProvider.GetUtcNow();
            }

            Completion.TrySetResult();
        }

        public ModelJobStatus Status()
        {
            lock (_gate)
            {
                return new ModelJobStatus(Id, Kind, ModelId, source, State, _progress?.Phase, _progress?.BytesDone ?? 0, _progress?.BytesTotal ?? 0,
                    _progress?.CurrentFile, _startedAt, _finishedAt, _errorCode, Error, Verification);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1110, EventName = "ModelJobFinished", Level = LogLevel.Information,
            Message = "Model job {JobId} ({Kind} {ModelId}) ended {State}: {Error}")]
        public static partial void JobFinished(ILogger logger, string jobId, string kind, string modelId, string state, string? error);
    }
}
