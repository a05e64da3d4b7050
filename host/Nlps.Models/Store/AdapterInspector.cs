using Nlps.Formats.Peft;
using Nlps.Formats.Safetensors;

namespace Nlps.Models.Store;

/// <summary>
/// Checks a PEFT LoRA adapter folder (adapter_config.json and its safetensors) against the base model's tensors before
/// anything is copied: the config must parse, and every lora_A / lora_B pair must fit a base tensor of a listed target
/// module (<see cref="LoraLayout"/>). A mismatch is refused as <c>adapter_mismatch</c> naming the tensor and both shapes.
/// </summary>
internal static class AdapterInspector
{
    /// <summary>The adapter's entry and the files an import takes, relative to the adapter folder.</summary>
    public static async Task<(AdapterEntry Entry, IReadOnlyList<string> Files)> InspectAsync(
        string folder, string name, IReadOnlyDictionary<string, IReadOnlyList<long>> baseShapes, IReadOnlyCollection<string> takenExtensions, CancellationToken cancellationToken)
    {
        StorePaths.ValidateId(name, "adapter name");
        string configPath = Path.Combine(folder, LoraAdapterConfig.FileName);
        if (!File.Exists(configPath))
        {
            throw new ModelStoreException("invalid_adapter", $"adapter '{name}' ({folder}) has no {LoraAdapterConfig.FileName}");
        }

        LoraAdapterConfig config;
        try
        {
            config = LoraAdapterConfig.Parse(await File.ReadAllBytesAsync(configPath, cancellationToken).ConfigureAwait(false), $"adapter '{name}' {LoraAdapterConfig.FileName}");
        }
        catch (LoraAdapterException ex)
        {
            throw new ModelStoreException("invalid_adapter", ex.Message, ex);
        }

        List<string> files = Directory.EnumerateFiles(folder)
            .Select(p => Path.GetFileName(p))
            .Where(f => !f.StartsWith('.') && takenExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        List<string> weights = files.Where(f => f.EndsWith(".safetensors", StringComparison.Ordinal)).ToList();
        if (weights.Count == 0)
        {
            throw new ModelStoreException("invalid_adapter", $"adapter '{name}' ({folder}) has no *.safetensors weights (adapter_model.safetensors)");
        }

        var shapes = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);
        long bytes = 0;
        foreach (string file in weights)
        {
            IReadOnlyList<SafetensorsTensor> tensors;
            try
            {
                tensors = await SafetensorsHeader.ReadAsync(Path.Combine(folder, file), cancellationToken).ConfigureAwait(false);
            }
            catch (SafetensorsFormatException ex)
            {
                throw new ModelStoreException("invalid_adapter", $"adapter '{name}': {ex.Message}", ex);
            }

            foreach (SafetensorsTensor tensor in tensors)
            {
                shapes[tensor.Name] = tensor.Shape;
                bytes += tensor.ByteLength;
            }
        }

        IReadOnlyList<LoraPair> pairs;
        try
        {
            pairs = LoraLayout.Match(config, shapes, baseShapes.GetValueOrDefault, $"adapter '{name}'");
        }
        catch (LoraAdapterException ex)
        {
            throw new ModelStoreException("adapter_mismatch", ex.Message, ex);
        }

        long parameters = pairs.Sum(p => (long)p.Rank * (p.In + p.Out));
        return (new AdapterEntry(name, config.Rank, config.Alpha, config.TargetModules, config.BaseModel, bytes, config.UseRsLora, parameters), files);
    }

    /// <summary>Every tensor shape of the safetensors files <paramref name="paths"/> (a base model's weights).</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<long>>> ShapesAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var shapes = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            try
            {
                foreach (SafetensorsTensor tensor in await SafetensorsHeader.ReadAsync(path, cancellationToken).ConfigureAwait(false))
                {
                    shapes[tensor.Name] = tensor.Shape;
                }
            }
            catch (SafetensorsFormatException ex)
            {
                throw new ModelStoreException("invalid_weights", ex.Message, ex);
            }
        }

        return shapes;
    }
}
