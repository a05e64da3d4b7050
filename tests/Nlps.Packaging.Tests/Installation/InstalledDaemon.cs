using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Nlps.Packaging.Tests.Support;

namespace Nlps.Packaging.Tests.Installation;

/// <summary>
/// Starts /opt/nlps/nlpsd the way nlpsd.service does, without systemd (there is no systemd PID 1 here): as the nlps
/// account, with the packaged /etc/nlps/nlps.json, systemd's environment (NOTIFY_SOCKET on a socket this class
/// listens on, WATCHDOG_USEC, HOME and USER of the account) and nothing else. Only the state folder and the port
/// differ, so the run touches neither /var/lib/nlps nor a port in use.
/// </summary>
internal static class InstalledDaemon
{
    // Guards against a hung daemon; the events themselves are what the run waits for.
    private static readonly TimeSpan StartGuard = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGuard = TimeSpan.FromSeconds(45);

    // Short, so a ping (every half of it) arrives within a couple of seconds.
    private const string WatchdogMicroseconds = "4000000";

    public static async Task<DaemonRun> RunAsync(string folder)
    {
        // The folder is the daemon's: state inside it, owned by nlps as /var/lib/nlps is; the socket beside it.
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        var state = Path.Combine(folder, "state");
        Directory.CreateDirectory(state);
        (await Command.RunAsync("chown", "nlps:nlps", state)).EnsureSuccess();
        File.SetUnixFileMode(state, (UnixFileMode)0b111_101_000);

        using var notify = new NotifySocket(Path.Combine(folder, "notify.sock"));
        var port = FreeLoopbackPort();
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in new[]
        {
            "--reuid=nlps", "--regid=nlps", "--init-groups", "--",
            "/opt/nlps/nlpsd", "--config", "/etc/nlps/nlps.json", $"--State:Directory={state}", $"--Http:Urls={url}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["HOME"] = "/var/lib/nlps";
        start.Environment["USER"] = "nlps";
        start.Environment["LOGNAME"] = "nlps";
        start.Environment["NOTIFY_SOCKET"] = notify.Path;
        start.Environment["WATCHDOG_USEC"] = WatchdogMicroseconds;

        var run = new DaemonRun();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start setpriv");
        process.StandardInput.Close();
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await notify.WaitForAsync("READY=1", StartGuard);

            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                using var ready = await http.GetAsync(new Uri($"{url}/readyz"));
                run.ReadyStatus = (int)ready.StatusCode;
                run.ReadyBody = await ready.Content.ReadAsStringAsync();
            }

            run.WatchdogPing = await notify.WaitForAsync("WATCHDOG=1", TimeSpan.FromSeconds(10));

            // The admin CLI from PATH against it, with the token the daemon wrote on its first start.
            var tokenFile = Path.Combine(state, "admin.token");
            run.AdminToken = (await Command.RunAsync("stat", "-c", "%U %a", tokenFile)).EnsureSuccess().StandardOutput.Trim();
            run.Status = await Command.RunAsync("/usr/bin/nlpsctl", "--url", url, "--token-file", tokenFile, "status");

            var stopping = Stopwatch.StartNew();
            (await Command.RunAsync("kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).EnsureSuccess();
            run.Stopping = await notify.WaitForAsync("STOPPING=1", StopGuard);
            using (var exit = new CancellationTokenSource(StopGuard))
            {
                await process.WaitForExitAsync(exit.Token);
            }

            run.StopTime = stopping.Elapsed;
            run.ExitCode = process.ExitCode;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or HttpRequestException)
        {
            throw new InvalidOperationException($"the installed nlpsd misbehaved: {ex.Message}\n--- its output ---\n{Snapshot(log)}", ex);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            run.Notifications = [.. notify.Received];
            run.Log = Snapshot(log);
        }

        return run;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }
}
