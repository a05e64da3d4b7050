using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Nlps.Testing;

/// <summary>
/// A real nlpsd process on an ephemeral 127.0.0.1 port, supervised the way systemd does it: a NOTIFY_SOCKET we
/// listen on, READY=1 awaited, SIGTERM to stop.
/// </summary>
public sealed partial class NlpsdProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartGuard = TimeSpan.FromSeconds(90);
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly NotifySocketListener notify;

    private NlpsdProcess(Process process, NotifySocketListener notify, string stateDirectory)
    {
        this.process = process;
        this.notify = notify;
        StateDirectory = stateDirectory;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string StateDirectory { get; }

    public IReadOnlyList<string> StartupNotifications { get; private set; } = [];

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public int ProcessId => process.Id;

    public static Task<NlpsdProcess> StartAsync(string stateDirectory, params string[] arguments) =>
        StartAsync(stateDirectory, new Dictionary<string, string?>(), arguments);

    public static async Task<NlpsdProcess> StartAsync(string stateDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var notify = NotifySocketListener.AtPath();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { RepositoryPaths.Nlpsd, "--State:Directory=" + stateDirectory, "--Http:Urls=http://127.0.0.1:0" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NOTIFY_SOCKET"] = notify.NotifySocket;
        start.Environment["NLPS_CONFIG"] = null;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nlpsd");
        var instance = new NlpsdProcess(process, notify, stateDirectory);
        process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            instance.StartupNotifications = await notify.ReceiveUntilAsync(m => m.Contains("READY=1", StringComparison.Ordinal), StartGuard);
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"nlpsd did not become ready: {ex.Message}\n{instance.Output}", ex);
        }

        var ready = instance.StartupNotifications[^1];
        var url = ListeningOn().Match(ready);
        instance.BaseAddress = url.Success ? new Uri(url.Groups[1].Value) : throw new InvalidOperationException("READY status names no address: " + ready);
        return instance;
    }

    public HttpClient CreateAdminClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(StateDirectory, "admin.token")).Trim());
        return client;
    }

    /// <summary>Sends SIGTERM and collects the notifications sent until the process exits.</summary>
    public async Task<(int ExitCode, IReadOnlyList<string> Notifications)> TerminateAsync()
    {
        (await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])).EnsureSuccess("kill -TERM");
        var stopping = await notify.ReceiveUntilAsync(m => m.Contains("STOPPING=1", StringComparison.Ordinal), StartGuard);
        using var exit = new CancellationTokenSource(StartGuard);
        await process.WaitForExitAsync(exit.Token);
        return (process.ExitCode, stopping);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        notify.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
