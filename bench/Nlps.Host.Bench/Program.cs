using System.Net.Http.Headers;
using Nlps.Host.Bench;
using Nlps.Testing;

// Whole-process benchmarks of nlpsd. Prints markdown rows for bench/RESULTS.md.
var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
using var work = new TempFolder("nlps-host-bench");
var packages = new PackageFactory(work.Path);
var trustedKey = packages.WriteTrustedKeyFile();
var state = work.Combine("state");

// Four plugins installed once, through the admin API, like an operator would.
await using (var setup = await NlpsdProcess.StartAsync(state, "--Plugins:TrustedKeyFiles:0=" + trustedKey))
{
    using var client = setup.CreateAdminClient();
    for (var i = 1; i <= 4; i++)
    {
        var package = await packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(id: $"bench.echo-{i}"));
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(package));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync("/v1/admin/plugins", content);
        response.EnsureSuccessStatusCode();
    }

    await setup.TerminateAsync();
}

Console.WriteLine("| what | runs | | | |");
Console.WriteLine("|---|---|---|---|---|");
await new StartupBenchmark(Console.Out).RunAsync(state, trustedKey, runs);

await using var nlpsd = await NlpsdProcess.StartAsync(state, "--Plugins:TrustedKeyFiles:0=" + trustedKey, "--Logging:LogLevel:Default=Warning");
var token = File.ReadAllText(Path.Combine(state, "admin.token")).Trim();
Console.WriteLine();
Console.WriteLine("| endpoint | req/s per round | | p99 | |");
Console.WriteLine("|---|---|---|---|---|");
await new DispatchBenchmark(Console.Out).RunAsync(nlpsd, token, rounds: 3, seconds: 10, connections: 32);
await nlpsd.TerminateAsync();
