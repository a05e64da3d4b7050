using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nlps.Models.Estimation;
using Nlps.Storage.Models;

namespace Nlps.Models.Store;

/// <summary>
/// Models on disk under <c>&lt;state&gt;/models/&lt;id&gt;/</c> in Hugging Face layout with a manifest of every file's SHA-256,
/// and a row per model in the state database. An import copies into <c>.staging/&lt;id&gt;</c> and renames into place only
/// when every file is copied and checked, so a model is either whole and visible or not there; a killed or cancelled
/// import leaves its staging folder for a re-run to finish, a refused one (bad input) leaves nothing. A GGUF file is
/// stored the same way, as the single file <c>model.gguf</c> (see <see cref="GgufModels"/>).
/// </summary>
public sealed partial class ModelStore
{
    public const string StagingFolder = ".staging";

    private const string TrashFolder = ".trash";

    private readonly ModelStoreOptions _options;
    private readonly ModelCatalog _catalog;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, byte> _busy = new(StringComparer.Ordinal);

    public ModelStore(IOptions<ModelStoreOptions> options, ModelCatalog catalog, TimeProvider? timeProvider = null, ILogger<ModelStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        _options = options.Value;
        _catalog = catalog;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ModelStore>.Instance;
        Root = Path.GetFullPath(_options.Directory);
    }

    /// <summary>The folder holding the models.</summary>
    public string Root { get; }

    public string ModelFolder(string id)
    {
        StorePaths.ValidateId(id);
        return Path.Combine(Root, id);
    }

    /// <summary>What the engine loads: the stored GGUF file of a GGUF model, else the model folder.</summary>
    public string ModelLoadPath(string id)
    {
        string gguf = Path.Combine(ModelFolder(id), GgufModels.FileName);
        return File.Exists(gguf) ? gguf : ModelFolder(id);
    }

    public Task<IReadOnlyList<ModelRecord>> ListAsync(CancellationToken cancellationToken) => _catalog.GetAllAsync(cancellationToken);

    public async Task<ModelManifest> GetManifestAsync(string id, CancellationToken cancellationToken)
    {
        (ModelManifest manifest, _) = await ReadManifestAsync(id, cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    /// <summary>What the estimator needs, from the stored config.json and safetensors headers (no tensor data is read).</summary>
    public async Task<ModelProfile> LoadProfileAsync(string id, CancellationToken cancellationToken)
    {
        string folder = ModelFolder(id);
        if (!File.Exists(Path.Combine(folder, ModelManifest.FileName)))
        {
            throw NotFound(id);
        }

        if (GgufModels.IsFile(ModelLoadPath(id)))
        {
            return GgufModels.Profile(id, ModelLoadPath(id));
        }

        ModelArchitecture architecture = await ModelConfigReader.ReadAsync(Path.Combine(folder, "config.json"), cancellationToken).ConfigureAwait(false);
        WeightInventory weights = await SafetensorsWeights.ReadFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        return new ModelProfile(id, architecture, weights);
    }

    /// <summary>The checks an import makes before reading any model file; returns the model id the import will use.</summary>
    public string PrecheckImport(string source, string? id)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(source));
        bool gguf = GgufModels.IsFile(folder);
        if (!gguf && !Directory.Exists(folder))
        {
            throw new ModelStoreException("source_missing", $"{folder} is not a folder or a .gguf file on this machine");
        }

        string modelId = id ?? DefaultId(folder, gguf);
        if (Directory.Exists(ModelFolder(modelId)))
        {
            throw new ModelStoreException("model_exists", $"model '{modelId}' is already in the store; remove it first or import under another id");
        }

        if (!gguf && !File.Exists(Path.Combine(folder, "config.json")))
        {
            throw new ModelStoreException("config_missing", $"{folder} has no config.json: not a Hugging Face model folder");
        }

        return modelId;
    }

    /// <summary>
    /// Imports the Hugging Face folder or GGUF file <paramref name="source"/> as <paramref name="id"/> (default: the
    /// folder's name, or the file's without .gguf).
    /// </summary>
    public async Task<ModelManifest> ImportAsync(string source, string? id, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(source));
        bool gguf = GgufModels.IsFile(folder);
        if (!gguf && !Directory.Exists(folder))
        {
            throw new ModelStoreException("source_missing", $"{folder} is not a folder or a .gguf file on this machine");
        }

        string modelId = id ?? DefaultId(folder, gguf);
        string final = ModelFolder(modelId);
        using Hold hold = Take(modelId, "an import");
        if (Directory.Exists(final))
        {
            throw new ModelStoreException("model_exists", $"model '{modelId}' is already in the store; remove it first or import under another id");
        }

        progress?.Report(new ImportProgress(ImportPhase.Checking, 0, 0, null));
        SourceModel model = gguf ? GgufModels.Inspect(folder) : await SourceInspector.InspectAsync(folder, cancellationToken).ConfigureAwait(false);
        string staging = Path.Combine(Root, StagingFolder, modelId);
        try
        {
            List<ModelFileEntry> entries = await CopyAsync(folder, staging, model.Files, progress, cancellationToken).ConfigureAwait(false);
            if (_options.VerifyAfterCopy)
            {
                await VerifyCopyAsync(staging, entries, progress, cancellationToken).ConfigureAwait(false);
            }

            progress?.Report(new ImportProgress(ImportPhase.Committing, 0, 0, null));
            var manifest = new ModelManifest(
                ModelManifest.CurrentFormat,
                modelId,
                model.Architecture.ModelType,
                ModelTasks.For(model.Architecture.Family),
                model.Dtype,
                model.Weights.ParameterCount,
                model.WeightDataBytes,
                entries.Sum(e => e.Bytes),
                _timeProvider.GetUtcNow(),
                folder,
                entries,
                model.Adapters);
            await WriteAtomicallyAsync(Path.Combine(staging, ModelManifest.FileName), JsonSerializer.SerializeToUtf8Bytes(manifest, StoreJsonContext.Default.ModelManifest), cancellationToken).ConfigureAwait(false);
            File.Delete(Path.Combine(staging, ImportJournal.FileName));
            Directory.Move(staging, final);
            await RecordAsync(manifest, _options.VerifyAfterCopy ? manifest.ImportedAt : null, CancellationToken.None).ConfigureAwait(false);
            Log.Imported(_logger, modelId, folder, manifest.Files.Count, manifest.TotalBytes);
            return manifest;
        }
        catch (ModelStoreException)
        {
            // Bad input or a copy that does not match its source: nothing to resume, nothing may stay half there.
            DeleteFolder(staging);
            throw;
        }
    }

    /// <summary>Re-reads every file and compares size and SHA-256 with the manifest; the outcome is recorded in the catalog.</summary>
    public async Task<VerificationReport> VerifyAsync(string id, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        using Hold hold = Take(id, "a verification");
        (ModelManifest manifest, string manifestSha) = await ReadManifestAsync(id, cancellationToken).ConfigureAwait(false);
        string folder = ModelFolder(id);
        var problems = new List<FileProblem>();
        ModelRecord? record = await _catalog.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is not null && record.ManifestSha256 != manifestSha)
        {
            problems.Add(new FileProblem(ModelManifest.FileName, "changed since import (its SHA-256 differs from the state database's)"));
        }

        long total = manifest.Files.Sum(f => f.Bytes);
        long done = 0;
        foreach (ModelFileEntry file in manifest.Files)
        {
            string path;
            try
            {
                path = StorePaths.Resolve(folder, file.Path);
            }
            catch (ModelStoreException ex)
            {
                problems.Add(new FileProblem(file.Path, ex.Message));
                continue;
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problems.Add(new FileProblem(file.Path, "missing"));
            }
            else if (info.Length != file.Bytes)
            {
                problems.Add(new FileProblem(file.Path, $"{info.Length} bytes, the manifest says {file.Bytes}"));
            }
            else
            {
                string actual = await FileHashing.HashAsync(path, n => Report(progress, ImportPhase.Verifying, done += n, total, file.Path), cancellationToken).ConfigureAwait(false);
                if (actual != file.Sha256)
                {
                    problems.Add(new FileProblem(file.Path, $"SHA-256 {actual}, the manifest says {file.Sha256}"));
                }

                continue;
            }

            done += file.Bytes;
        }

        DateTimeOffset at = _timeProvider.GetUtcNow();
        string? first = problems.Count == 0 ? null : $"{problems[0].Path}: {problems[0].Problem}";
        await _catalog.RecordVerificationAsync(id, at, first, CancellationToken.None).ConfigureAwait(false);
        if (first is not null)
        {
            Log.VerifyFailed(_logger, id, problems.Count, first);
        }

        return new VerificationReport(id, problems.Count == 0, done, problems);
    }

    /// <summary>Takes the model out of the store: its folder is renamed aside first, so it disappears at once and whole.</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken) => RemoveAsync(id, force: false, cancellationToken);

    /// <summary>As <see cref="RemoveAsync(string, CancellationToken)"/>; a model with adapters is refused (model_has_adapters) unless <paramref name="force"/>, which removes them with it.</summary>
    public async Task RemoveAsync(string id, bool force, CancellationToken cancellationToken)
    {
        string folder = ModelFolder(id);
        using Hold hold = Take(id, "a removal");
        bool hadRow = await _catalog.GetAsync(id, cancellationToken).ConfigureAwait(false) is not null;
        if (!Directory.Exists(folder) && !hadRow)
        {
            throw NotFound(id);
        }

        if (!force && File.Exists(Path.Combine(folder, ModelManifest.FileName))
            && (await ReadManifestAsync(id, cancellationToken).ConfigureAwait(false)).Manifest is { Adapters.Count: > 0 } withAdapters)
        {
            throw new ModelStoreException("model_has_adapters", $"model '{id}' has adapters ({AdapterNames(withAdapters)}); remove them first, or force the removal to take them with it");
        }

        if (Directory.Exists(folder))
        {
            string trash = Path.Combine(Root, TrashFolder, $"{id}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(Path.GetDirectoryName(trash)!);
            Directory.Move(folder, trash);
            await _catalog.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
            DeleteFolder(trash);
        }
        else
        {
            await _catalog.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
        }

        DeleteFolder(Path.Combine(Root, StagingFolder, id));
        Log.Removed(_logger, id);
    }

    /// <summary>
    /// Brings the catalog in line with the folders after a crash: a model folder with a manifest but no row gets one,
    /// a row without a folder goes, and half-deleted folders aside are finished off. Staging folders stay for a re-run.
    /// </summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Root);
        DeleteFolder(Path.Combine(Root, TrashFolder));
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (string folder in Directory.EnumerateDirectories(Root))
        {
            string name = Path.GetFileName(folder);
            if (name.StartsWith('.') || !File.Exists(Path.Combine(folder, ModelManifest.FileName)))
            {
                continue;
            }

            try
            {
                (ModelManifest manifest, string sha) = await ReadManifestAsync(name, cancellationToken).ConfigureAwait(false);
                present.Add(name);
                if (await _catalog.GetAsync(name, cancellationToken).ConfigureAwait(false) is null)
                {
                    await _catalog.UpsertAsync(ToRecord(manifest, sha, verifiedAt: null), cancellationToken).ConfigureAwait(false);
                    Log.Recovered(_logger, name);
                }
            }
            catch (ModelStoreException ex)
            {
                Log.ManifestUnreadable(_logger, name, ex.Message);
            }
        }

        foreach (ModelRecord record in await _catalog.GetAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!present.Contains(record.Id))
            {
                await _catalog.DeleteAsync(record.Id, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<List<ModelFileEntry>> CopyAsync(string source, string staging, IReadOnlyList<SourceFile> files, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        Dictionary<string, ImportJournal.DoneFile> done = await ReadJournalAsync(staging, source, cancellationToken).ConfigureAwait(false);
        long total = files.Sum(f => f.Bytes);
        long copied = 0;
        var entries = new List<ModelFileEntry>(files.Count);
        foreach (SourceFile file in files)
        {
            string destination = StorePaths.Resolve(staging, file.RelativePath);
            string sha;
            if (done.TryGetValue(file.RelativePath, out ImportJournal.DoneFile? finished) && finished.Bytes == file.Bytes
                && finished.SourceModifiedTicks == file.ModifiedTicks && File.Exists(destination) && new FileInfo(destination).Length == file.Bytes)
            {
                sha = finished.Sha256;
                Report(progress, ImportPhase.Copying, copied += file.Bytes, total, file.RelativePath);
            }
            else
            {
                sha = await FileHashing.CopyAsync(file.FullPath, destination, n => Report(progress, ImportPhase.Copying, copied += n, total, file.RelativePath), cancellationToken).ConfigureAwait(false);
                long length = new FileInfo(destination).Length;
                if (length != file.Bytes)
                {
                    throw new ModelStoreException("source_changed", $"{file.RelativePath} changed while it was copied ({file.Bytes} bytes when checked, {length} copied)");
                }

                done[file.RelativePath] = new ImportJournal.DoneFile(file.RelativePath, file.Bytes, file.ModifiedTicks, sha);
                var journal = new ImportJournal(source, done.Values.ToList());
                await WriteAtomicallyAsync(Path.Combine(staging, ImportJournal.FileName), JsonSerializer.SerializeToUtf8Bytes(journal, StoreJsonContext.Default.ImportJournal), cancellationToken).ConfigureAwait(false);
            }

            if (file.ExpectedSha256 is { } expected && expected != sha)
            {
                throw new ModelStoreException("checksum_mismatch", $"{file.RelativePath}: SHA-256 {sha}, but its Hugging Face cache blob is named {expected}");
            }

            entries.Add(new ModelFileEntry(file.RelativePath, file.Bytes, sha));
        }

        return entries;
    }

    private static async Task VerifyCopyAsync(string staging, List<ModelFileEntry> entries, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        long total = entries.Sum(e => e.Bytes);
        long done = 0;
        foreach (ModelFileEntry entry in entries)
        {
            string actual = await FileHashing.HashAsync(StorePaths.Resolve(staging, entry.Path), n => Report(progress, ImportPhase.Verifying, done += n, total, entry.Path), cancellationToken).ConfigureAwait(false);
            if (actual != entry.Sha256)
            {
                throw new ModelStoreException("checksum_mismatch", $"{entry.Path}: the copy reads back as SHA-256 {actual}, not the {entry.Sha256} copied");
            }
        }

        string gguf = Path.Combine(staging, GgufModels.FileName);
        if (File.Exists(gguf))
        {
            _ = GgufModels.Summarize(gguf);
            return;
        }

        try
        {
            _ = await SafetensorsWeights.ReadFolderAsync(staging, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelFormatException ex)
        {
            throw new ModelStoreException("invalid_weights", $"the copy's safetensors headers do not check out: {ex.Message}", ex);
        }
    }

    private static async Task<Dictionary<string, ImportJournal.DoneFile>> ReadJournalAsync(string staging, string source, CancellationToken cancellationToken)
    {
        string path = Path.Combine(staging, ImportJournal.FileName);
        if (File.Exists(path))
        {
            try
            {
                ImportJournal? journal = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), StoreJsonContext.Default.ImportJournal);
                if (journal is not null && journal.Source == source)
                {
                    return journal.Done.ToDictionary(d => d.Path, StringComparer.Ordinal);
                }
            }
            catch (JsonException)
            {
                // An unreadable journal is a reason to start over, not to fail.
            }
        }

        // Nothing to resume from (or another source): start from an empty staging folder.
        DeleteFolder(staging);
        Directory.CreateDirectory(staging);
        return new Dictionary<string, ImportJournal.DoneFile>(StringComparer.Ordinal);
    }

    private async Task<(ModelManifest Manifest, string Sha256)> ReadManifestAsync(string id, CancellationToken cancellationToken)
    {
        string path = Path.Combine(ModelFolder(id), ModelManifest.FileName);
        if (!File.Exists(path))
        {
            throw NotFound(id);
        }

        byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            ModelManifest manifest = JsonSerializer.Deserialize(bytes, StoreJsonContext.Default.ModelManifest)
                ?? throw new ModelStoreException("invalid_manifest", $"{path} is empty");
            if (manifest.Id != id || manifest.Files is null)
            {
                throw new ModelStoreException("invalid_manifest", $"{path} describes '{manifest.Id}', not '{id}', or lists no files");
            }

            return (manifest, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        }
        catch (JsonException ex)
        {
            throw new ModelStoreException("invalid_manifest", $"{path} is not a valid manifest ({ex.Message})", ex);
        }
    }

    private async Task RecordAsync(ModelManifest manifest, DateTimeOffset? verifiedAt, CancellationToken cancellationToken)
    {
        byte[] bytes = await File.ReadAllBytesAsync(Path.Combine(ModelFolder(manifest.Id), ModelManifest.FileName), cancellationToken).ConfigureAwait(false);
        await _catalog.UpsertAsync(ToRecord(manifest, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), verifiedAt), cancellationToken).ConfigureAwait(false);
    }

    private static ModelRecord ToRecord(ModelManifest manifest, string manifestSha, DateTimeOffset? verifiedAt) => new(
        manifest.Id,
        manifest.ModelType,
        manifest.Task.ToString().ToLowerInvariant(),
        manifest.Dtype,
        manifest.ParameterCount,
        manifest.TotalBytes,
        manifest.Files.Count,
        manifestSha,
        manifest.ImportedAt,
        verifiedAt,
        null);

    private static async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        string temp = path + ".tmp";
        var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static void Report(IProgress<ImportProgress>? progress, ImportPhase phase, long done, long total, string file) =>
        progress?.Report(new ImportProgress(phase, done, total, file));

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string DefaultId(string source, bool gguf) => gguf ? Path.GetFileNameWithoutExtension(source) : Path.GetFileName(source);

    private static ModelStoreException NotFound(string id) => new("model_not_found", $"no model '{id}' in the store");

    private Hold Take(string id, string what) =>
        _busy.TryAdd(id, 0)
            ? new Hold(_busy, id)
            : throw new ModelStoreException("import_in_progress", $"model '{id}' is busy with another operation; {what} has to wait until it ends");

    private sealed class Hold(ConcurrentDictionary<string, byte> busy, string id) : IDisposable
    {
        public void Dispose() => busy.TryRemove(id, out _);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, EventName = "ModelImported", Level = LogLevel.Information,
            Message = "Model {ModelId} imported from {Source}: {Files} files, {Bytes} bytes")]
        public static partial void Imported(ILogger logger, string modelId, string source, int files, long bytes);

        [LoggerMessage(EventId = 1102, EventName = "ModelRemoved", Level = LogLevel.Information, Message = "Model {ModelId} removed")]
        public static partial void Removed(ILogger logger, string modelId);

        [LoggerMessage(EventId = 1103, EventName = "ModelVerifyFailed", Level = LogLevel.Warning,
            Message = "Model {ModelId} failed verification: {Count} problem(s), first: {First}")]
        public static partial void VerifyFailed(ILogger logger, string modelId, int count, string first);

        [LoggerMessage(EventId = 1104, EventName = "ModelRecovered", Level = LogLevel.Warning,
            Message = "Model {ModelId} was in the store without a catalog row (an import interrupted after its rename); recorded it")]
        public static partial void Recovered(ILogger logger, string modelId);

        [LoggerMessage(EventId = 1105, EventName = "ModelManifestUnreadable", Level = LogLevel.Error,
            Message = "Model folder {ModelId} has an unreadable manifest and is not listed: {Problem}")]
        public static partial void ManifestUnreadable(ILogger logger, string modelId, string problem);
    }
}
