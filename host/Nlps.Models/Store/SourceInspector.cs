using System.Text.Json;
using Nlps.Formats.Safetensors;
using Nlps.Models.Estimation;

namespace Nlps.Models.Store;

/// <summary>
/// Checks a Hugging Face folder before anything is copied: config.json of a known architecture, tokenizer.json,
/// safetensors headers that agree with their file sizes, and well-formed adapters. Decides which files the store takes:
/// top-level model files (<c>*.json</c>, <c>*.safetensors</c>, tokenizer side files), the sentence-transformers module
/// folders that <c>modules.json</c> names (<c>1_Pooling/</c>, …) and <c>adapters/&lt;name&gt;/</c>; other
/// folders (e.g. <c>original/</c> with PyTorch checkpoints) are skipped and reported.
/// </summary>
internal static class SourceInspector
{
    public const string AdaptersFolder = "adapters";

    internal static readonly string[] TakenExtensions = [".json", ".safetensors", ".txt", ".model", ".jinja", ".tiktoken"];

    public static async Task<SourceModel> InspectAsync(string folder, CancellationToken cancellationToken)
    {
        string config = Path.Combine(folder, "config.json");
        if (!File.Exists(config))
        {
            throw new ModelStoreException("config_missing", $"{folder} has no config.json: not a Hugging Face model folder");
        }

        if (!File.Exists(Path.Combine(folder, "tokenizer.json")))
        {
            throw new ModelStoreException("tokenizer_missing", $"{folder} has no tokenizer.json; the engines read the tokenizer from it");
        }

        ModelArchitecture architecture;
        WeightInventory weights;
        try
        {
            architecture = await ModelConfigReader.ReadAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelFormatException ex)
        {
            throw new ModelStoreException("invalid_config", ex.Message, ex);
        }

        try
        {
            weights = await SafetensorsWeights.ReadFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelFormatException ex)
        {
            throw new ModelStoreException("invalid_weights", ex.Message, ex);
        }

        var files = new List<SourceFile>();
        var skipped = new List<string>();
        foreach (string path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (name.StartsWith('.') || name == ModelManifest.FileName || !TakenExtensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase))
            {
                skipped.Add(name);
                continue;
            }

            files.Add(Describe(path, name));
        }

        (long dataBytes, string? headerDtype) = await DataBytesAsync(files.Where(f => f.RelativePath.EndsWith(".safetensors", StringComparison.Ordinal)), cancellationToken).ConfigureAwait(false);
        var adapters = new List<AdapterEntry>();
        IReadOnlySet<string> modules = await SentenceTransformerModulesAsync(folder, cancellationToken).ConfigureAwait(false);
        foreach (string sub in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(sub);
            if (modules.Contains(name))
            {
                files.AddRange(Directory.EnumerateFiles(sub)
                    .Where(p => !Path.GetFileName(p).StartsWith('.') && TakenExtensions.Contains(Path.GetExtension(p), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .Select(p => Describe(p, $"{name}/{Path.GetFileName(p)}")));
                continue;
            }

            if (name != AdaptersFolder)
            {
                skipped.Add(name + "/");
                continue;
            }

            foreach (string adapterFolder in Directory.EnumerateDirectories(sub).Order(StringComparer.Ordinal))
            {
                adapters.Add(await InspectAdapterAsync(adapterFolder, files, cancellationToken).ConfigureAwait(false));
            }
        }

        string? dtype = await TorchDtypeAsync(config, cancellationToken).ConfigureAwait(false) ?? headerDtype;
        return new SourceModel(architecture, weights, dataBytes, dtype, adapters, files, skipped);
    }

    private static async Task<AdapterEntry> InspectAdapterAsync(string adapterFolder, List<SourceFile> files, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(adapterFolder);
        IReadOnlyDictionary<string, IReadOnlyList<long>> baseShapes = await AdapterInspector.ShapesAsync(
            files.Where(f => f.RelativePath.EndsWith(".safetensors", StringComparison.Ordinal) && !f.RelativePath.StartsWith(AdaptersFolder + "/", StringComparison.Ordinal)).Select(f => f.FullPath), cancellationToken).ConfigureAwait(false);
        (AdapterEntry entry, IReadOnlyList<string> adapterFiles) = await AdapterInspector.InspectAsync(adapterFolder, name, baseShapes, TakenExtensions, cancellationToken).ConfigureAwait(false);
        files.AddRange(adapterFiles.Select(f => Describe(Path.Combine(adapterFolder, f), $"{AdaptersFolder}/{name}/{f}")).ToList());
        return entry;
    }

    // Tensor data bytes and the most common dtype; the headers are checked against the file sizes again here.
    private static async Task<(long Bytes, string? Dtype)> DataBytesAsync(IEnumerable<SourceFile> safetensors, CancellationToken cancellationToken)
    {
        long bytes = 0;
        var dtypes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (SourceFile file in safetensors)
        {
            IReadOnlyList<SafetensorsTensor> tensors;
            try
            {
                tensors = await Estimation.SafetensorsHeader.ReadAsync(file.FullPath, cancellationToken).ConfigureAwait(false);
            }
            catch (ModelFormatException ex)
            {
                throw new ModelStoreException("invalid_weights", ex.Message, ex);
            }

            foreach (SafetensorsTensor tensor in tensors)
            {
                bytes += tensor.End - tensor.Begin;
                dtypes[tensor.Dtype] = dtypes.GetValueOrDefault(tensor.Dtype) + tensor.Elements;
            }
        }

        return (bytes, dtypes.Count == 0 ? null : dtypes.MaxBy(d => d.Value).Key);
    }

    // sentence-transformers' modules.json names the folders of its pipeline (1_Pooling, 2_Normalize, …); the encoder
    // reads pooling from them, so they belong to the model. Anything odd in the file leaves them out, as before.
    private static async Task<IReadOnlySet<string>> SentenceTransformerModulesAsync(string folder, CancellationToken cancellationToken)
    {
        string path = Path.Combine(folder, "modules.json");
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return names;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement module in document.RootElement.EnumerateArray())
                {
                    if (module.ValueKind == JsonValueKind.Object && module.TryGetProperty("path", out JsonElement p) && p.GetString() is { Length: > 0 } name
                        && name != AdaptersFolder && name == Path.GetFileName(name))
                    {
                        names.Add(name);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not ours to judge here: the encoder refuses a malformed modules.json when it loads, naming the file.
        }

        return names;
    }

    private static async Task<string?> TorchDtypeAsync(string config, CancellationToken cancellationToken)
    {
        using JsonDocument document = JsonDocument.Parse(await File.ReadAllBytesAsync(config, cancellationToken).ConfigureAwait(false));
        return document.RootElement.TryGetProperty("torch_dtype", out JsonElement dtype) && dtype.ValueKind == JsonValueKind.String
            ? dtype.GetString()
            : null;
    }

    internal static SourceFile Describe(string path, string relative)
    {
        var info = new FileInfo(path);
        string? expected = null;
        if (info.LinkTarget is not null)
        {
            // A Hugging Face cache snapshot links each large file to blobs/<sha256 of its content>.
            FileSystemInfo target = File.ResolveLinkTarget(path, returnFinalTarget: true)
                ?? throw new ModelStoreException("source_unreadable", $"{path} is a broken link");
            string blob = target.Name;
            if (blob.Length == 64 && blob.All(char.IsAsciiHexDigitLower))
            {
                expected = blob;
            }

            info = new FileInfo(target.FullName);
            if (!info.Exists)
            {
                throw new ModelStoreException("source_unreadable", $"{path} is a broken link");
            }
        }

        return new SourceFile(path, relative, info.Length, info.LastWriteTimeUtc.Ticks, expected);
    }
}
