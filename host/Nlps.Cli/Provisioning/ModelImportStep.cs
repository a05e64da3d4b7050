using System.Text.Json;
using Nlps.Cli.Client;
using Nlps.Provisioning.Journal;
using Nlps.Provisioning.Media;
using Nlps.Provisioning.Profiles;

namespace Nlps.Cli.Provisioning;

/// <summary>Imports one model folder from the media into nlpsd's model store (nlpsd copies it, checking every hash); a model already stored with the same files is left as it is.</summary>
internal sealed class ModelImportStep(ProvisioningContext context, ModelSpec model) : IProvisioningStep
{
    private readonly IReadOnlyList<MediaFile> _files = context.FilesUnder(model.Path);

    public string Name => $"model:{model.Id}";

    public string InputHash => Nlps.Provisioning.Journal.InputHash.Of([model.Id, .. _files.Select(f => $"{Relative(f)}={f.Sha256}")]);

    public async Task<StepResult> RunAsync(CancellationToken cancellationToken)
    {
        string id = Uri.EscapeDataString(model.Id);
        if (await StoredAsync(id, cancellationToken) is { } stored)
        {
            var storedFiles = stored.GetProperty("files").EnumerateArray()
                .ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("sha256").GetString()!, StringComparer.Ordinal);
            if (_files.Any(f => storedFiles.GetValueOrDefault(Relative(f)) != f.Sha256))
            {
                throw new StepFailedException($"model '{model.Id}' is already in the store with other files; remove it (nlpsctl models remove {model.Id}) or give the profile's model another id");
            }

            return Result("already in the store with the same files");
        }

        string json = JsonSerializer.Serialize(new Dictionary<string, string> { ["path"] = Path.GetFullPath(context.Full(model.Path)), ["id"] = model.Id });
        JsonElement job = await context.Client.PostJsonAsync("/v1/admin/models/import", json, cancellationToken);
        int code = await context.FollowModelJob(job, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (code != 0)
        {
            throw new StepFailedException($"importing model '{model.Id}' from {model.Path} failed (see above)");
        }

        return Result("imported");
    }

    private async Task<JsonElement?> StoredAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await context.Client.GetAsync($"/v1/admin/models/{id}", cancellationToken);
        }
        catch (AdminApiException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private StepResult Result(string summary) => new(
        $"{model.Id}: {summary} ({_files.Count} files, {_files.Sum(f => f.Bytes)} bytes)",
        new Dictionary<string, string> { ["model"] = model.Id, ["files"] = _files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private string Relative(MediaFile file) => file.Path[(model.Path.Length + 1)..];
}
