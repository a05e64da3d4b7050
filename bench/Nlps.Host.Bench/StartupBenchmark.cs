using System.Diagnostics;
using System.Globalization;
using Nlps.Testing;

namespace Nlps.Host.Bench;

/// <summary>Time from starting the nlpsd process to its READY=1 notification, with four plugins installed.</summary>
internal sealed class StartupBenchmark(TextWriter report)
{
    public async Task RunAsync(string stateDirectory, string trustedKeyFile, int runs)
    {
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            await using var nlpsd = await NlpsdProcess.StartAsync(stateDirectory, "--Plugins:TrustedKeyFiles:0=" + trustedKeyFile);
            watch.Stop();
            var running = nlpsd.StartupNotifications[^1];
            if (!running.Contains("4 of 4 plugins running", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("expected four running plugins, READY said: " + running);
            }

            times.Add(watch.Elapsed.TotalMilliseconds);
            await nlpsd.TerminateAsync();
        }

        times.Sort();
        report.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| start → READY=1, 4 plugins | {runs} runs | min {times[0]:0} ms | median {times[times.Count / 2]:0} ms | max {times[^1]:0} ms |"));
    }
}
