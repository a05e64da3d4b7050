using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Nlps.Cli.Client;
using Nlps.Cli.Output;
using Nlps.Hardware.Snapshot;
using Nlps.Provisioning;
using Nlps.Provisioning.Checking;
using Nlps.Provisioning.Journal;
using Nlps.Provisioning.Profiles;
using Nlps.Provisioning.Reports;

namespace Nlps.Cli.Provisioning;

/// <summary>
/// <c>provision check</c> and <c>provision apply</c>. Apply talks to the running nlpsd through its admin API for
/// everything nlpsd owns (model store, plugins, agent data, keys, accounts) so its own checks and audit log apply;
/// it writes only nlpsd's configuration file itself, which nlpsd reads at start.
/// </summary>
internal sealed class ProvisioningRun(TimeProvider timeProvider)
{
    public const int Refused = 4;
    public const int StepFailed = 5;
    public const int AcceptanceFailed = 6;
    public const int RestartRequired = 75;

    public static async Task<HardwareSnapshot> SnapshotAsync(string? box, CancellationToken cancellationToken)
    {
        var options = new HardwareOptions { SimulatedBoxFolder = box is null ? null : Path.GetFullPath(box), StateFolder = Directory.GetCurrentDirectory() };
        return await new HardwareProbe(Options.Create(options)).CaptureAsync(cancellationToken);
    }

    public static async Task<PreflightResult> PreflightAsync(CustomerProfile profile, string media, HardwareSnapshot snapshot, CancellationToken cancellationToken)
    {
        ProgressBar? bar = null;
        var hashing = new SynchronousProgress<(long Done, long Total)>(p =>
        {
            bar ??= ProgressBar.ForConsole("verify media", p.Total);
            bar.Report(p.Done);
        });
        PreflightResult result = await new Preflight().RunAsync(profile, media, snapshot, hashing, cancellationToken);
        bar?.Complete();
        return result;
    }

    public async Task<int> ApplyAsync(ApplyRequest request, AdminClient client, Func<JsonElement, CancellationToken, Task<int>> followModelJob, CancellationToken cancellationToken)
    {
        CustomerProfile profile = request.Profile;
        JsonElement status = await client.GetAsync("/v1/admin/status", cancellationToken);
        string folder = Path.Combine(request.StateFolder ?? status.GetProperty("stateDirectory").GetString()!, "provisioning", profile.Customer.Id);
        Directory.CreateDirectory(folder);
        var versions = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["nlpsctl"] = typeof(ProvisioningRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown",
            ["nlpsd"] = status.GetProperty("version").GetString()!,
            ["sdk"] = status.GetProperty("sdkVersion").GetString()!,
        };

        HardwareSnapshot snapshot = await SnapshotAsync(request.Box, cancellationToken);
        PreflightResult preflight = await PreflightAsync(profile, request.Media, snapshot, cancellationToken);
        foreach (VerifiedPlugin plugin in preflight.Plugins)
        {
            versions[plugin.Id] = plugin.Version;
        }

        string profileHash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(profile.Source, cancellationToken)));
        ProvisioningReport Report(string outcome, string? reason, IReadOnlyList<StepRecord> steps, IReadOnlyList<AcceptanceResult> acceptance) => new(
            profile.Customer.Id, profile.Customer.Name, profile.Source, profileHash, timeProvider.GetUtcNow(), outcome, reason, versions,
            snapshot, preflight.Plan, preflight.Files, preflight.Plugins, preflight.Problems, steps, acceptance);

        if (!preflight.Passed)
        {
            await FinishAsync(Report(ReportOutcomes.Refused, $"{preflight.Problems.Count} problem(s) found before anything was changed", [], []), folder, cancellationToken);
            foreach (PreflightProblem problem in preflight.Problems)
            {
                await Console.Error.WriteLineAsync($"refused: {problem.Code}: {problem.Message}");
            }

            return Refused;
        }

        var handover = await HandoverFile.OpenAsync(request.HandoverFile ?? Path.Combine(folder, "handover.json"), profile.Customer.Id, cancellationToken);
        var context = new ProvisioningContext(client, profile, request.Media, preflight, handover, followModelJob);
        var configStep = new NlpsdConfigStep(request.NlpsdConfig, profile, preflight.Plugins);
        List<IProvisioningStep> steps =
        [
            .. profile.Models.Select(m => new ModelImportStep(context, m)),
            .. preflight.Plugins.Select(p => new PluginInstallStep(context, p)),
            .. profile.Data.Select(d => new DataImportStep(context, d)),
            .. profile.ApiKeys.Select(k => new ApiKeyStep(context, k)),
            new AdminAccountStep(context, profile.Admin),
            configStep,
        ];

        var engine = new StepEngine(await ProvisioningJournal.OpenAsync(folder, cancellationToken));
        engine.StepStarting += (name, done) =>
        {
            if (done)
            {
                Console.WriteLine($"resumed {name} (done in an earlier run)");
            }
        };
        engine.StepCompleted += record => Console.WriteLine($"done {record.Step}: {record.Summary}");
        IReadOnlyList<StepRecord> records;
        try
        {
            records = await engine.RunAsync(steps, cancellationToken);
        }
        catch (StepFailedException ex)
        {
            await FinishAsync(Report(ReportOutcomes.Failed, ex.Message, [], []), folder, cancellationToken);
            await Console.Error.WriteLineAsync($"failed: {ex.Message} (fix it and run apply again: completed steps are kept)");
            return StepFailed;
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(Report(ReportOutcomes.Cancelled, "cancelled; run apply again to resume", [], []), folder, cancellationToken);
            throw;
        }

        if (NlpsdConfigStep.RestartNeeded(request.NlpsdConfig, status.GetProperty("startedAt").GetDateTimeOffset()))
        {
            await FinishAsync(Report(ReportOutcomes.RestartRequired, $"nlpsd must restart to read {request.NlpsdConfig}", records, []), folder, cancellationToken);
            await Console.Error.WriteLineAsync($"nlpsd must restart to serve the deployments and agent configuration written to {request.NlpsdConfig}: run `systemctl restart nlpsd`, then this apply again (it resumes)");
            return RestartRequired;
        }

        IReadOnlyList<AcceptanceResult> acceptance = await new AcceptanceRun(client, profile, preflight.Plugins).RunAsync(cancellationToken);
        bool passed = acceptance.All(a => a.Passed);
        await FinishAsync(Report(passed ? ReportOutcomes.Passed : ReportOutcomes.AcceptanceFailed, passed ? null : $"{acceptance.Count(a => !a.Passed)} acceptance check(s) failed", records, acceptance), folder, cancellationToken);
        foreach (AcceptanceResult result in acceptance)
        {
            Console.WriteLine($"{(result.Passed ? "pass" : "FAIL")} {result.Name}: {result.Detail}");
        }

        await Console.Error.WriteLineAsync($"handover file (API keys, administrator password; mode 0600): {handover.FilePath}");
        return passed ? 0 : AcceptanceFailed;
    }

    private static async Task FinishAsync(ProvisioningReport report, string folder, CancellationToken cancellationToken)
    {
        // The report is written even when the run was cancelled: it says how far it got.
        await ReportWriter.WriteAsync(report, folder, cancellationToken.IsCancellationRequested ? CancellationToken.None : cancellationToken);
        await Console.Error.WriteLineAsync($"{report.Outcome}: report {Path.Combine(folder, ReportWriter.HtmlFile)} and {ReportWriter.JsonFile}");
    }
}
