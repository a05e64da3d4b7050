using System.Diagnostics;

namespace Nlps.Packaging.Tests.Support;

/// <summary>Runs an external command to completion, with no standard input, and captures its output.</summary>
public static class Command
{
    /// <summary>A guard against a hung tool; each caller passes its own when it expects longer.</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static async Task<CommandResult> RunAsync(
        string file,
        IEnumerable<string> arguments,
        TimeSpan? timeout = null,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Tools must not ask anything (dpkg's conffile prompt, apt) and must speak plain English.
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        start.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var display = $"{file} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{display} did not finish within {timeout ?? DefaultTimeout}");
        }

        return new CommandResult(display, process.ExitCode, await stdout, await stderr);
    }

    public static Task<CommandResult> RunAsync(string file, params string[] arguments) => RunAsync(file, (IEnumerable<string>)arguments);
}
