using System.Globalization;
using System.Text.RegularExpressions;
using Nlps.Testing;

namespace Nlps.Host.Bench;

/// <summary>
/// Requests per second and p99 latency of a no-op agent operation against a bare minimal-API endpoint of the same
/// process (GET /v1/whoami: same authentication, no body, no dispatch), measured alternately with wrk.
/// </summary>
internal sealed partial class DispatchBenchmark(TextWriter report)
{
    public async Task RunAsync(NlpsdProcess nlpsd, string token, int rounds, int seconds, int connections)
    {
        var script = Path.Combine(Path.GetTempPath(), $"nlps-noop-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, "wrk.method = \"POST\"\nwrk.body = \"{}\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");
        try
        {
            var bare = new List<WrkResult>();
            var agent = new List<WrkResult>();
            await WrkAsync(nlpsd, token, "/v1/whoami", null, 3, connections); // warm-up, discarded
            await WrkAsync(nlpsd, token, "/v1/agents/bench.echo-1/noop", script, 3, connections);
            for (var round = 0; round < rounds; round++)
            {
                bare.Add(await WrkAsync(nlpsd, token, "/v1/whoami", null, seconds, connections));
                agent.Add(await WrkAsync(nlpsd, token, "/v1/agents/bench.echo-1/noop", script, seconds, connections));
            }

            var bareRps = Median(bare.Select(r => r.RequestsPerSecond));
            var agentRps = Median(agent.Select(r => r.RequestsPerSecond));
            report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| bare endpoint GET /v1/whoami | {string.Join(" / ", bare.Select(r => r.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture)))} req/s | median {bareRps:0} req/s | p99 median {Median(bare.Select(r => r.P99Milliseconds)):0.00} ms |"));
            report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| agent no-op POST /v1/agents/bench.echo-1/noop | {string.Join(" / ", agent.Select(r => r.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture)))} req/s | median {agentRps:0} req/s | p99 median {Median(agent.Select(r => r.P99Milliseconds)):0.00} ms |"));
            report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| dispatch cost | agent ÷ bare = {agentRps / bareRps:0.000} | overhead {(1 - (agentRps / bareRps)) * 100:0.0}% of the bare endpoint's req/s | target ≤ 15% |"));
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<WrkResult> WrkAsync(NlpsdProcess nlpsd, string token, string path, string? script, int seconds, int connections)
    {
        List<string> arguments = ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "-H", "Authorization: Bearer " + token];
        if (script is not null)
        {
            arguments.AddRange(["-s", script]);
        }

        arguments.Add(new Uri(nlpsd.BaseAddress, path).ToString());
        var result = (await ProcessRunner.RunAsync("wrk", arguments, guard: TimeSpan.FromSeconds(seconds + 60))).EnsureSuccess("wrk");
        var rps = RequestsPerSecond().Match(result.StandardOutput);
        var p99 = Percentile99().Match(result.StandardOutput);
        if (!rps.Success || !p99.Success || result.StandardOutput.Contains("Non-2xx", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("wrk output not usable (errors or non-2xx answers):\n" + result.StandardOutput);
        }

        return new WrkResult(double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture), ToMilliseconds(p99.Groups[1].Value, p99.Groups[2].Value));
    }

    private static double ToMilliseconds(string value, string unit) =>
        double.Parse(value, CultureInfo.InvariantCulture) * unit switch { "us" => 0.001, "ms" => 1, "s" => 1000, _ => throw new FormatException(unit) };

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"99%\s+([0-9.]+)(us|ms|s)")]
    private static partial Regex Percentile99();

    private sealed record WrkResult(double RequestsPerSecond, double P99Milliseconds);
}
