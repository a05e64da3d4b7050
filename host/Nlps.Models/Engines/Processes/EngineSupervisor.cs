using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Engines.Processes;

/// <summary>
/// Runs one engine process and keeps it serving. A start spawns the command and polls its <c>/health</c> until it
/// answers 200 (ready) or the start timeout passes (killed, faulted). A process that exits without being asked is
/// started again after a back-off that doubles with each restart in a row; past the crash-loop limit the deployment
/// is faulted with the last lines of its stderr. A port that something else already listens on faults at once,
/// since polling it would find the wrong server. Stopping sends SIGTERM, then SIGKILL after the grace period. The
/// child's output goes to our log under a scope naming the deployment. All waiting is on the injected clock.
/// </summary>
public sealed partial class EngineSupervisor : IAsyncDisposable
{
    private readonly EngineCommand _command;
    private readonly EngineProcessOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, object> _scope;
    private readonly Lock _gate = new();
    private readonly Queue<string> _stderr = new();
    private readonly List<TimeSpan> _backoffs = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private int? _processId;
    private EngineHealth _health = EngineHealth.Stopped;

    /// <param name="http">Asks <c>/health</c>; its timeout bounds one poll.</param>
    public EngineSupervisor(string deploymentId, EngineCommand command, EngineProcessOptions options, HttpClient http, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(deploymentId);
        DeploymentId = deploymentId;
        _command = command ?? throw new ArgumentNullException(nameof(command));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _scope = new Dictionary<string, object>(StringComparer.Ordinal) { ["Deployment"] = deploymentId };
    }

    /// <summary>Raised on every change of <see cref="Health"/>, outside any lock.</summary>
    public event Action<EngineHealth>? HealthChanged;

    public string DeploymentId { get; }

    /// <summary>Where the engine listens: loopback and the command's port.</summary>
    public Uri BaseAddress => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_command.Port}/"));

    public EngineHealth Health
    {
        get
        {
            lock (_gate)
            {
                return _health;
            }
        }
    }

    /// <summary>Throws unless the engine is ready, so a call is refused with the reason instead of hanging on a dead port.</summary>
    /// <exception cref="ModelUnavailableException">engine_restarting or engine_faulted, with the supervisor's detail.</exception>
    public void EnsureReady(TimeSpan retryAfter)
    {
        EngineHealth health = Health;
        if (health.State != EngineState.Ready)
        {
            string code = health.State == EngineState.Faulted ? "engine_faulted" : "engine_restarting";
            throw new ModelUnavailableException(code, $"{DeploymentId} is {health.State.ToString().ToLowerInvariant()}: {health.Detail}", retryAfter);
        }
    }

    /// <summary>The running process's id, or null between processes.</summary>
    public int? ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _processId;
            }
        }
    }

    /// <summary>The back-off waited before each restart so far.</summary>
    public IReadOnlyList<TimeSpan> Backoffs
    {
        get
        {
            lock (_gate)
            {
                return _backoffs.ToList();
            }
        }
    }

    /// <summary>Starts supervising; completes when the engine first answers its health check.</summary>
    /// <exception cref="EngineStartException">It faulted before that; the message says why.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _loop ??= Task.Run(() => SuperviseAsync(_stopping.Token), CancellationToken.None);
        }

        return _firstReady.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops the process (SIGTERM, then SIGKILL after the grace period) and supervision.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _firstReady.TrySetException(new EngineStartException($"{DeploymentId} was stopped before it became ready"));
        if (Health.State != EngineState.Faulted)
        {
            SetHealth(EngineHealth.Stopped);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        int restartsInRow = 0;
        while (!stopping.IsCancellationRequested)
        {
            if (!PortIsFree(_command.Port))
            {
                Fault($"port {_command.Port} on 127.0.0.1 is already in use by another process, so {DeploymentId} cannot listen there; free the port or configure another");
                return;
            }

            // Taken before the Starting event, so a clock moved by whoever sees that event counts against the start.
            long started = _time.GetTimestamp();
            Process process;
            try
            {
                process = Spawn();
            }
            catch (Win32Exception ex)
            {
                Fault($"cannot run {_command.Executable} for {DeploymentId}: {ex.Message}");
                return;
            }

            int exitCode;
            using (process)
            {
                SetProcess(process.Id);
                SetHealth(new EngineHealth(EngineState.Starting, $"process {process.Id}: {_command}"));
                Log.Started(_logger, DeploymentId, process.Id, _command.ToString());
                StartOutcome outcome = await WaitReadyAsync(process, started, stopping).ConfigureAwait(false);
                switch (outcome)
                {
                    case StartOutcome.Stopped:
                        await TerminateAsync(process).ConfigureAwait(false);
                        return;
                    case StartOutcome.TimedOut:
                        Kill(process);
                        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                        Fault($"{DeploymentId} did not answer /health within the start timeout of {_options.StartTimeout}; it was killed.{StderrTail()}");
                        return;
                    case StartOutcome.Ready:
                        long readyAt = _time.GetTimestamp();
                        SetHealth(EngineHealth.Ready);
                        Log.Ready(_logger, DeploymentId, process.Id);
                        _firstReady.TrySetResult();
                        try
                        {
                            await process.WaitForExitAsync(stopping).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            await TerminateAsync(process).ConfigureAwait(false);
                            return;
                        }

                        if (_time.GetElapsedTime(readyAt) >= _options.StableAfter)
                        {
                            restartsInRow = 0;
                        }

                        break;
                }

                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                exitCode = process.ExitCode;
                SetProcess(null);
            }

            string exited = exitCode > 128
                ? string.Create(CultureInfo.InvariantCulture, $"{DeploymentId} was killed by signal {exitCode - 128}")
                : string.Create(CultureInfo.InvariantCulture, $"{DeploymentId} exited with code {exitCode}");
            if (restartsInRow >= _options.CrashLoopLimit)
            {
                Fault($"{exited}; after {restartsInRow} restarts in a row it is faulted (crash loop).{StderrTail()}");
                return;
            }

            restartsInRow++;
            TimeSpan delay = Backoff(restartsInRow);
            DateTimeOffset due = _time.GetUtcNow() + delay;
            lock (_gate)
            {
                _backoffs.Add(delay);
            }

            Log.Restarting(_logger, DeploymentId, exitCode, delay, restartsInRow, _options.CrashLoopLimit);
            SetHealth(new EngineHealth(EngineState.Restarting, $"{exited}; restart {restartsInRow} of at most {_options.CrashLoopLimit} in {delay}"));
            try
            {
                // Waits until the due time rather than for the delay, so a clock moved before the wait began still counts.
                TimeSpan remaining = due - _time.GetUtcNow();
                if (remaining > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, _time, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<StartOutcome> WaitReadyAsync(Process process, long started, CancellationToken stopping)
    {
        Task exited = process.WaitForExitAsync(CancellationToken.None);
        while (!stopping.IsCancellationRequested)
        {
            if (await IsHealthyAsync(stopping).ConfigureAwait(false))
            {
                return StartOutcome.Ready;
            }

            if (exited.IsCompleted)
            {
                return StartOutcome.Exited;
            }

            TimeSpan remaining = _options.StartTimeout - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return StartOutcome.TimedOut;
            }

            Task delay = Task.Delay(remaining < _options.HealthPollInterval ? remaining : _options.HealthPollInterval, _time, stopping);
            await Task.WhenAny(delay, exited).ConfigureAwait(false);
        }

        return StartOutcome.Stopped;
    }

    private async Task<bool> IsHealthyAsync(CancellationToken stopping)
    {
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(new Uri(BaseAddress, "health"), HttpCompletionOption.ResponseHeadersRead, stopping).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private Process Spawn()
    {
        var start = new ProcessStartInfo(_command.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (string argument in _command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in _command.Environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Output(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => Output(e.Data, isError: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Output(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        if (isError)
        {
            lock (_gate)
            {
                _stderr.Enqueue(line);
                while (_stderr.Count > _options.StderrLines)
                {
                    _stderr.Dequeue();
                }
            }
        }

        using (_logger.BeginScope(_scope))
        {
            Log.EngineOutput(_logger, DeploymentId, isError ? "stderr" : "stdout", line);
        }
    }

    private async Task TerminateAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        UnixSignals.Terminate(process.Id);
        try
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(_options.StopGrace, _time, CancellationToken.None).ConfigureAwait(false);
            Log.Stopped(_logger, DeploymentId, process.Id);
        }
        catch (TimeoutException)
        {
            Log.KilledAfterGrace(_logger, DeploymentId, process.Id, _options.StopGrace);
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        SetProcess(null);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own meanwhile.
        }
    }

    private TimeSpan Backoff(int restart)
    {
        double ticks = _options.InitialBackoff.Ticks * Math.Pow(2, restart - 1);
        return ticks >= _options.MaxBackoff.Ticks ? _options.MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    private string StderrTail()
    {
        lock (_gate)
        {
            return _stderr.Count == 0 ? " It wrote nothing to stderr." : " Last stderr lines:\n" + string.Join('\n', _stderr);
        }
    }

    private void Fault(string reason)
    {
        Log.Faulted(_logger, DeploymentId, reason);
        SetHealth(new EngineHealth(EngineState.Faulted, reason));
        _firstReady.TrySetException(new EngineStartException(reason));
    }

    private void SetProcess(int? processId)
    {
        lock (_gate)
        {
            _processId = processId;
        }
    }

    private void SetHealth(EngineHealth health)
    {
        lock (_gate)
        {
            _health = health;
        }

        HealthChanged?.Invoke(health);
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private enum StartOutcome
    {
        Ready,
        Exited,
        TimedOut,
        Stopped,
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1501, EventName = "EngineStarted", Level = LogLevel.Information, Message = "Deployment {DeploymentId}: engine process {ProcessId} started: {Command}")]
        public static partial void Started(ILogger logger, string deploymentId, int processId, string command);

        [LoggerMessage(EventId = 1502, EventName = "EngineReady", Level = LogLevel.Information, Message = "Deployment {DeploymentId}: engine process {ProcessId} is ready")]
        public static partial void Ready(ILogger logger, string deploymentId, int processId);

        [LoggerMessage(EventId = 1503, EventName = "EngineRestarting", Level = LogLevel.Warning,
            Message = "Deployment {DeploymentId}: engine exited with code {ExitCode}; restarting in {Delay} (restart {Restart} of at most {Limit})")]
        public static partial void Restarting(ILogger logger, string deploymentId, int exitCode, TimeSpan delay, int restart, int limit);

        [LoggerMessage(EventId = 1504, EventName = "EngineFaulted", Level = LogLevel.Error, Message = "Deployment {DeploymentId}: engine faulted: {Reason}")]
        public static partial void Faulted(ILogger logger, string deploymentId, string reason);

        [LoggerMessage(EventId = 1505, EventName = "EngineOutput", Level = LogLevel.Information, Message = "{DeploymentId} {Stream}: {Line}")]
        public static partial void EngineOutput(ILogger logger, string deploymentId, string stream, string line);

        [LoggerMessage(EventId = 1506, EventName = "EngineStopped", Level = LogLevel.Information, Message = "Deployment {DeploymentId}: engine process {ProcessId} stopped on SIGTERM")]
        public static partial void Stopped(ILogger logger, string deploymentId, int processId);

        [LoggerMessage(EventId = 1507, EventName = "EngineKilled", Level = LogLevel.Warning,
            Message = "Deployment {DeploymentId}: engine process {ProcessId} ignored SIGTERM for {Grace}; killed")]
        public static partial void KilledAfterGrace(ILogger logger, string deploymentId, int processId, TimeSpan grace);
    }
}
