using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nlps.Testing;

namespace Nlps.Provisioning.Tests.Support;

/// <summary>
/// A real nlpsd process with its own state folder and configuration file (trusting the test vendor key), and
/// <c>nlpsctl provision apply</c> run against it as a real process.
/// </summary>
public sealed class ProvisionedBox(TempFolder work) : IAsyncDisposable
{
    private NlpsdProcess? _nlpsd;

    public string State => work.Combine("state");

    public string ConfigFile => work.Combine("nlps.json");

    public NlpsdProcess Nlpsd => _nlpsd ?? throw new InvalidOperationException("not started");

    public string RunFolder(string customer) => Path.Combine(State, "provisioning", customer);

    public async Task StartAsync()
    {
        if (!File.Exists(ConfigFile))
        {
            await File.WriteAllTextAsync(ConfigFile, "{}");
        }

        Directory.CreateDirectory(work.Combine("keys"));
        string key = work.Combine("keys", "vendor.public.pem");
        await File.WriteAllTextAsync(key, PackageFactory.Vendor.PublicKeyPem);
        _nlpsd = await NlpsdProcess.StartAsync(State, "--config=" + ConfigFile, "--Plugins:TrustedKeyFiles:0=" + key);
    }

    public async Task StopAsync()
    {
        await Nlpsd.TerminateAsync();
        await Nlpsd.DisposeAsync();
        _nlpsd = null;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public string[] ApplyArguments(string profile, string media, params string[] extra) =>
    [
        RepositoryPaths.Nlpsctl, "provision", "apply", profile, "--media", media, "--nlpsd-config", ConfigFile,
        "--url", Nlpsd.BaseAddress.ToString(), "--token-file", Path.Combine(State, "admin.token"), .. extra,
    ];

    public Task<ProcessResult> ApplyAsync(string profile, string media, params string[] extra) =>
        ProcessRunner.RunAsync("dotnet", ApplyArguments(profile, media, extra), guard: TimeSpan.FromMinutes(8));

    /// <summary>Starts apply and kills the process (SIGKILL) as soon as it prints a line starting with <paramref name="killAfter"/>.</summary>
    public async Task<string> ApplyAndKillAsync(string profile, string media, string killAfter)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
        foreach (string argument in ApplyArguments(profile, media))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var seen = new StringBuilder();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        while (await process.StandardOutput.ReadLineAsync(guard.Token) is { } line)
        {
            seen.AppendLine(line);
            if (line.StartsWith(killAfter, StringComparison.Ordinal))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(guard.Token);
                return seen.ToString();
            }
        }

        throw new InvalidOperationException($"apply ended without printing '{killAfter}':\n{seen}\n{await stderr}");
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using HttpClient client = Nlpsd.CreateAdminClient();
        return await client.GetFromJsonAsync<JsonElement>(path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_nlpsd is not null)
        {
            await _nlpsd.DisposeAsync();
        }
    }
}
