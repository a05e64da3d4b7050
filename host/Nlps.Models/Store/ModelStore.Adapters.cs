using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nlps.Formats.Peft;
using Nlps.Storage.Models;

namespace Nlps.Models.Store;

/// <summary>
/// LoRA adapters of a stored model, under <c>&lt;model&gt;/adapters/&lt;name&gt;/</c> and listed with their files' SHA-256s in
/// its manifest. An adapter import checks the adapter against the base's tensor shapes before copying, copies into
/// <c>.staging/&lt;model&gt;+&lt;name&gt;</c>, verifies, renames the folder into place and then replaces the manifest
/// atomically: until that rename the store lists no adapter, and a folder left without a manifest entry by a crash
/// in between is replaced by the next import of that name.
/// </summary>
public sealed partial class ModelStore
{
    private const string AdapterStagingSeparator = "+";

    /// <summary>
    /// The base model and adapter name an adapter import will use: <paramref name="baseId"/>, else the stored model named
    /// by adapter_config.json's base_model_name_or_path (as a whole, or its last path segment); the name defaults to the folder's.
    /// </summary>
    public async Task<(string BaseId, string Name)> PrecheckAdapterImportAsync(string source, string? baseId, string? name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(source));
        if (!Directory.Exists(folder))
        {
            throw new ModelStoreException("source_missing", $"{folder} is not a folder on this machine");
        }

        string configPath = Path.Combine(folder, LoraAdapterConfig.FileName);
        if (!File.Exists(configPath))
        {
            throw new ModelStoreException("invalid_adapter", $"{folder} has no {LoraAdapterConfig.FileName}: not a PEFT adapter folder");
        }

        string adapterName = name ?? Path.GetFileName(folder);
        StorePaths.ValidateId(adapterName, "adapter name");
        string resolved = baseId ?? await DetectBaseAsync(configPath, cancellationToken).ConfigureAwait(false);
        ModelManifest manifest = await GetManifestAsync(resolved, cancellationToken).ConfigureAwait(false);
        if (manifest.Task != ModelTask.Chat)
        {
            throw new ModelStoreException("invalid_adapter", $"model '{resolved}' is a {manifest.Task.ToString().ToLowerInvariant()} model; LoRA adapters attach to chat (decoder) models");
        }

        if (manifest.Adapters.Any(a => a.Name == adapterName))
        {
            throw new ModelStoreException("adapter_exists", $"model '{resolved}' already has adapter '{adapterName}'; remove it first or import under another name");
        }

        return (resolved, adapterName);
    }

    /// <summary>Imports the PEFT adapter folder <paramref name="source"/> as adapter <paramref name="name"/> of stored model <paramref name="baseId"/>.</summary>
    public async Task<AdapterEntry> ImportAdapterAsync(string source, string baseId, string name, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        StorePaths.ValidateId(name, "adapter name");
        string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(source));
        using Hold hold = Take(baseId, "an adapter import");
        (ModelManifest manifest, _) = await ReadManifestAsync(baseId, cancellationToken).ConfigureAwait(false);
        if (manifest.Adapters.Any(a => a.Name == name))
        {
            throw new ModelStoreException("adapter_exists", $"model '{baseId}' already has adapter '{name}'; remove it first or import under another name");
        }

        progress?.Report(new ImportProgress(ImportPhase.Checking, 0, 0, null));
        string modelFolder = ModelFolder(baseId);
        IReadOnlyDictionary<string, IReadOnlyList<long>> baseShapes = await AdapterInspector.ShapesAsync(
            manifest.Files.Where(f => f.Path.EndsWith(".safetensors", StringComparison.Ordinal) && !f.Path.Contains('/', StringComparison.Ordinal))
                .Select(f => StorePaths.Resolve(modelFolder, f.Path)),
            cancellationToken).ConfigureAwait(false);
        (AdapterEntry entry, IReadOnlyList<string> files) = await AdapterInspector.InspectAsync(folder, name, baseShapes, SourceInspector.TakenExtensions, cancellationToken).ConfigureAwait(false);
        string staging = Path.Combine(Root, StagingFolder, baseId + AdapterStagingSeparator + name);
        try
        {
            List<ModelFileEntry> copied = await CopyAsync(folder, staging, files.Select(f => SourceInspector.Describe(Path.Combine(folder, f), f)).ToList(), progress, cancellationToken).ConfigureAwait(false);
            if (_options.VerifyAfterCopy)
            {
                await VerifyCopyAsync(staging, copied, progress, cancellationToken).ConfigureAwait(false);
            }

            progress?.Report(new ImportProgress(ImportPhase.Committing, 0, 0, null));
            File.Delete(Path.Combine(staging, ImportJournal.FileName));
            string relative = $"{SourceInspector.AdaptersFolder}/{name}";
            string final = StorePaths.Resolve(modelFolder, relative);
            DeleteFolder(final); // a leftover of an import that crashed before its manifest was written
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            Directory.Move(staging, final);
            List<ModelFileEntry> adapterFiles = copied.Select(f => f with { Path = $"{relative}/{f.Path}" }).ToList();
            ModelManifest updated = manifest with
            {
                Files = [.. manifest.Files, .. adapterFiles],
                Adapters = [.. manifest.Adapters, entry],
                TotalBytes = manifest.TotalBytes + adapterFiles.Sum(f => f.Bytes),
            };
            await CommitManifestAsync(updated, CancellationToken.None).ConfigureAwait(false);
            Log.AdapterImported(_logger, baseId, name, folder, entry.Rank, entry.WeightBytes);
            return entry;
        }
        catch (ModelStoreException)
        {
            DeleteFolder(staging);
            throw;
        }
    }

    /// <summary>Takes adapter <paramref name="name"/> off model <paramref name="baseId"/>: the manifest first, then its folder.</summary>
    public async Task RemoveAdapterAsync(string baseId, string name, CancellationToken cancellationToken)
    {
        StorePaths.ValidateId(name, "adapter name");
        using Hold hold = Take(baseId, "an adapter removal");
        (ModelManifest manifest, _) = await ReadManifestAsync(baseId, cancellationToken).ConfigureAwait(false);
        if (!manifest.Adapters.Any(a => a.Name == name))
        {
            throw new ModelStoreException("adapter_not_found", $"model '{baseId}' has no adapter '{name}' (it has: {AdapterNames(manifest)})");
        }

        string relative = $"{SourceInspector.AdaptersFolder}/{name}";
        List<ModelFileEntry> left = manifest.Files.Where(f => !f.Path.StartsWith(relative + "/", StringComparison.Ordinal)).ToList();
        ModelManifest updated = manifest with
        {
            Files = left,
            Adapters = manifest.Adapters.Where(a => a.Name != name).ToList(),
            TotalBytes = left.Sum(f => f.Bytes),
        };
        await CommitManifestAsync(updated, cancellationToken).ConfigureAwait(false);
        string folder = StorePaths.Resolve(ModelFolder(baseId), relative);
        if (Directory.Exists(folder))
        {
            string trash = Path.Combine(Root, TrashFolder, $"{baseId}+{name}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(Path.GetDirectoryName(trash)!);
            Directory.Move(folder, trash);
            DeleteFolder(trash);
        }

        Log.AdapterRemoved(_logger, baseId, name);
    }

    private static string AdapterNames(ModelManifest manifest) =>
        manifest.Adapters.Count == 0 ? "none" : string.Join(", ", manifest.Adapters.Select(a => a.Name));

    // Writes the manifest over the old one (temp + rename) and records it, keeping the row's last verification.
    private async Task CommitManifestAsync(ModelManifest manifest, CancellationToken cancellationToken)
    {
        await WriteAtomicallyAsync(Path.Combine(ModelFolder(manifest.Id), ModelManifest.FileName), JsonSerializer.SerializeToUtf8Bytes(manifest, StoreJsonContext.Default.ModelManifest), cancellationToken).ConfigureAwait(false);
        ModelRecord? row = await _catalog.GetAsync(manifest.Id, cancellationToken).ConfigureAwait(false);
        await RecordAsync(manifest, row?.VerifiedAt, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> DetectBaseAsync(string configPath, CancellationToken cancellationToken)
    {
        LoraAdapterConfig config;
        try
        {
            config = LoraAdapterConfig.Parse(await File.ReadAllBytesAsync(configPath, cancellationToken).ConfigureAwait(false), configPath);
        }
        catch (LoraAdapterException ex)
        {
            throw new ModelStoreException("invalid_adapter", ex.Message, ex);
        }

        string? named = config.BaseModel?.TrimEnd('/');
        if (string.IsNullOrEmpty(named))
        {
            throw new ModelStoreException("base_unknown", $"{configPath} names no base_model_name_or_path; give the stored base model (--base)");
        }

        string[] candidates = [named, named[(named.LastIndexOf('/') + 1)..]];
        foreach (string candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            try
            {
                if (File.Exists(Path.Combine(ModelFolder(candidate), ModelManifest.FileName)))
                {
                    return candidate;
                }
            }
            catch (ModelStoreException)
            {
                // Not a valid model id: not a stored model either.
            }
        }

        throw new ModelStoreException("base_unknown", $"{configPath} names base model '{named}', which is not in the store; give the stored base model (--base)");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1106, EventName = "AdapterImported", Level = LogLevel.Information,
            Message = "Adapter {Adapter} of model {ModelId} imported from {Source}: rank {Rank}, {Bytes} weight bytes")]
        public static partial void AdapterImported(ILogger logger, string modelId, string adapter, string source, int rank, long bytes);

        [LoggerMessage(EventId = 1107, EventName = "AdapterRemoved", Level = LogLevel.Information, Message = "Adapter {Adapter} of model {ModelId} removed")]
        public static partial void AdapterRemoved(ILogger logger, string modelId, string adapter);
    }
}
