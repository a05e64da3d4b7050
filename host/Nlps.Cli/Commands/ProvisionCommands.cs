using System.CommandLine;
using Nlps.Cli.Output;
using Nlps.Cli.Provisioning;
using Nlps.Hardware.Snapshot;
using Nlps.Provisioning.Checking;
using Nlps.Provisioning.Profiles;

namespace Nlps.Cli.Commands;

/// <summary>
/// <c>nlpsctl provision check PROFILE</c>: is this box (or a recorded one) what the profile needs, and do its models
/// fit; <c>nlpsctl provision apply PROFILE --media DIR</c>: provision it, resumably, ending with the acceptance run and
/// the report. Exit codes: 0 passed, 2 unusable profile, 4 refused before any change, 5 a step failed, 6 acceptance
/// failed, 75 nlpsd must restart (then apply again), 130 cancelled (apply again to resume).
/// </summary>
internal static class ProvisionCommands
{
    public static Command Create(GlobalOptions global)
    {
        var provision = new Command("provision", "Provision this appliance for a customer from a profile and offline media");
        var box = new Option<DirectoryInfo?>("--box") { Description = "Plan on a recorded box (a hardware fixture folder) instead of this machine; marked SIMULATED", Recursive = true };
        provision.Options.Add(box);

        var checkProfile = new Argument<FileInfo>("profile") { Description = "The customer profile (YAML)" };
        var checkMedia = new Option<DirectoryInfo?>("--media") { Description = "The offline media (default: the profile's folder)" };
        var check = new Command("check", "Check the hardware, the media and that every model fits, without changing anything") { checkProfile, checkMedia };
        check.SetAction(async (result, ct) => await Guarded(async () =>
        {
            CustomerProfile profile = await ProfileReader.ReadFileAsync(result.GetValue(checkProfile)!.FullName, ct);
            string media = result.GetValue(checkMedia)?.FullName ?? Path.GetDirectoryName(profile.Source)!;
            HardwareSnapshot snapshot = await ProvisioningRun.SnapshotAsync(result.GetValue(box)?.FullName, ct);
            PreflightResult preflight = await ProvisioningRun.PreflightAsync(profile, media, snapshot, ct);
            Render(Console.Out, profile, preflight);
            return preflight.Passed ? 0 : ProvisioningRun.Refused;
        }));
        provision.Subcommands.Add(check);

        var applyProfile = new Argument<FileInfo>("profile") { Description = "The customer profile (YAML)" };
        var media = new Option<DirectoryInfo>("--media") { Description = "The offline media: the files the profile names and their SHA256SUMS", Required = true };
        var state = new Option<DirectoryInfo?>("--state") { Description = "Where provisioning/<customer>/ (journal, report, handover file) goes; default nlpsd's state folder" };
        var config = new Option<FileInfo?>("--nlpsd-config") { Description = "nlpsd's configuration file, which receives the deployments and agent configuration (default $NLPS_CONFIG or /etc/nlps/nlps.json)" };
        var handover = new Option<FileInfo?>("--handover") { Description = "The handover file for API keys and the administrator password (mode 0600; default in the provisioning folder)" };
        var apply = new Command("apply", "Verify the media, then import models, install plugins, import data, create API keys and the administrator, and run the acceptance run; resumes where a killed run stopped") { applyProfile, media, state, config, handover };
        apply.SetAction(async (result, ct) => await Guarded(async () =>
        {
            CustomerProfile profile = await ProfileReader.ReadFileAsync(result.GetValue(applyProfile)!.FullName, ct);
            var request = new ApplyRequest(
                profile,
                result.GetValue(media)!.FullName,
                result.GetValue(box)?.FullName,
                result.GetValue(state)?.FullName,
                result.GetValue(config)?.FullName ?? Environment.GetEnvironmentVariable("NLPS_CONFIG") ?? "/etc/nlps/nlps.json",
                result.GetValue(handover)?.FullName);
            return await CommandRunner.RunAsync(result, global, client => new ProvisioningRun(TimeProvider.System).ApplyAsync(
                request, client, (job, token) => ModelCommands.FollowAsync(result, global, client, job, token), ct));
        }));
        provision.Subcommands.Add(apply);
        return provision;
    }

    internal static void Render(TextWriter output, CustomerProfile profile, PreflightResult preflight)
    {
        output.WriteLine($"customer  {profile.Customer.Name} ({profile.Customer.Id})");
        if (preflight.Hardware.Simulated)
        {
            output.WriteLine($"SIMULATED: recorded box {preflight.Hardware.SimulatedFrom}");
        }

        output.WriteLine($"hardware  {preflight.Hardware.Cpu.Model}, {preflight.Hardware.Memory.TotalBytes} bytes RAM, {preflight.Hardware.Gpus.Devices.Count} GPU(s)");
        output.WriteLine($"media     {preflight.Files.Count} file(s) verified, {preflight.Plugins.Count} plugin package(s) verified");
        if (preflight.Plan is { } plan)
        {
            Table.Write(output, ["MODEL", "RESULT", "DEVICES", "BYTES PER DEVICE"], plan.Outcomes.Select(o => o.Placement is { } p
                ? new[] { o.DeploymentId, "fits", string.Join(",", p.Devices), p.PerDevice.TotalBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                : [o.DeploymentId, "DOES NOT FIT", "-", "-"]));
        }

        foreach (PreflightProblem problem in preflight.Problems)
        {
            output.WriteLine($"FAIL {problem.Code} {problem.Subject}: {problem.Message}");
        }

        output.WriteLine(preflight.Passed ? "PASS" : $"FAIL: {preflight.Problems.Count} problem(s)");
    }

    private static async Task<int> Guarded(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ProfileException ex)
        {
            await Console.Error.WriteLineAsync($"error: invalid_profile: {ex.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled; run the same command again to resume");
            return 130;
        }
    }
}
