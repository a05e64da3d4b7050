using System.Text.Json;
using Nlps.Cli.Client;
using Nlps.Cli.Output;
using Nlps.Provisioning.Checking;
using Nlps.Provisioning.Journal;

namespace Nlps.Cli.Provisioning;

/// <summary>Installs one verified .nlpkg through nlpsd (which checks its signature again); the same version already active is left as it is.</summary>
internal sealed class PluginInstallStep(ProvisioningContext context, VerifiedPlugin plugin) : IProvisioningStep
{
    public string Name => $"plugin:{plugin.Id}";

    public string InputHash => Nlps.Provisioning.Journal.InputHash.Of(plugin.Id, plugin.Version, plugin.PackageSha256);

    public async Task<StepResult> RunAsync(CancellationToken cancellationToken)
    {
        JsonElement? installed = null;
        try
        {
            installed = await context.Client.GetAsync($"/v1/admin/plugins/{Uri.EscapeDataString(plugin.Id)}", cancellationToken);
        }
        catch (AdminApiException ex) when (ex.Status == 404)
        {
            // Not installed yet.
        }

        string summary;
        if (installed is { } current && current.GetProperty("version").GetString() == plugin.Version)
        {
            summary = "already installed";
        }
        else
        {
            string path = context.Full(plugin.Package);
            long length = new FileInfo(path).Length;
            var bar = ProgressBar.ForConsole($"install {plugin.Id}", length);
            await using var stream = File.OpenRead(path);
            current = await context.Client.UploadAsync("/v1/admin/plugins", stream, length, bar, cancellationToken);
            bar.Complete();
            summary = "installed";
        }

        string state = current.GetProperty("state").GetString()!;
        if (state == "Faulted")
        {
            throw new StepFailedException($"plugin {plugin.Id} {plugin.Version} is installed but faulted: {current.GetProperty("reason").GetString()}");
        }

        return new StepResult($"{plugin.Id} {plugin.Version}: {summary}", new Dictionary<string, string> { ["id"] = plugin.Id, ["version"] = plugin.Version, ["sha256"] = plugin.PackageSha256 });
    }
}
