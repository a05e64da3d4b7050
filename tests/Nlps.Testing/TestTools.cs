using System.Diagnostics;

namespace Nlps.Testing;

/// <summary>
/// External tools the tests run for real (promtool, chromium). When one is missing, the project's
/// tests/tools/install-test-tools.sh installs it from Debian's packages, once per process.
/// </summary>
public static class TestTools
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Ensured = [];

    /// <summary>The path of <paramref name="executable"/>, installing <paramref name="tool"/> first when it is not on PATH.</summary>
    /// <param name="tool">The install script's name for it: promtool or chromium.</param>
    /// <param name="executable">The executable to find.</param>
    public static string Ensure(string tool, string executable)
    {
        lock (Gate)
        {
            if (Ensured.Add(tool) && Find(executable) is null)
            {
                var script = Path.Combine(RepositoryPaths.Root, "tests", "tools", "install-test-tools.sh");
                var (exitCode, output) = Run("bash", [script, tool], stdin: null, TimeSpan.FromMinutes(10));
                if (exitCode != 0)
                {
                    throw new InvalidOperationException($"{script} {tool} failed ({exitCode}): {output}");
                }
            }

            return Find(executable) ?? throw new InvalidOperationException($"{executable} is still not on PATH after tests/tools/install-test-tools.sh {tool}");
        }
    }

    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="exposition"/>; its exit code (0 clean, 1 parse error, 3 lint problems) and output.</summary>
    /// <param name="exposition">The scraped text.</param>
    public static (int ExitCode, string Output) PromtoolCheckMetrics(string exposition) =>
        Run(Ensure("promtool", "promtool"), ["check", "metrics"], exposition, TimeSpan.FromMinutes(1));

    /// <summary>Runs a process to its end with a guard timeout (against a hung tool, not a timing assertion).</summary>
    /// <param name="file">The executable.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="stdin">Text for its standard input, or null.</param>
    /// <param name="guard">Kill it after this long.</param>
    public static (int ExitCode, string Output) Run(string file, IReadOnlyList<string> arguments, string? stdin, TimeSpan guard)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(guard))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {guard}");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }

    private static string? Find(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, executable))
            .FirstOrDefault(File.Exists);
}
