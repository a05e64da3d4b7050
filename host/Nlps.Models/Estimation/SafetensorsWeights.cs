using Nlps.Formats.Safetensors;

namespace Nlps.Models.Estimation;

/// <summary>
/// The exact weight inventory of a model folder from its safetensors headers: a sharded model through
/// model.safetensors.index.json (every listed shard must exist), else every *.safetensors file.
/// </summary>
public static class SafetensorsWeights
{
    public const string IndexFile = SafetensorsIndex.FileName;

    public static async Task<WeightInventory> ReadFolderAsync(string folder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        IReadOnlyList<string> shards = await ShardsAsync(folder, cancellationToken).ConfigureAwait(false);
        var tensors = new List<TensorSpec>();
        foreach (string shard in shards)
        {
            foreach (SafetensorsTensor tensor in await SafetensorsHeader.ReadAsync(shard, cancellationToken).ConfigureAwait(false))
            {
                tensors.Add(ToSpec(tensor));
            }
        }

        return new WeightInventory(tensors, "safetensors");
    }

    /// <summary>The role a checkpoint tensor plays, from its Hugging Face name and rank.</summary>
    public static TensorSpec ToSpec(SafetensorsTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        string name = tensor.Name;
        IReadOnlyList<long> shape = tensor.Shape;
        (long rows, long cols) = shape.Count switch
        {
            0 => (1L, 1L),
            1 => (shape[0], 1L),
            2 => (shape[0], shape[1]),
            _ => (shape[0], shape.Skip(1).Aggregate(1L, (a, b) => checked(a * b))),
        };
        TensorRole role = name switch
        {
            _ when name.Contains("embed_tokens", StringComparison.Ordinal) || name.StartsWith("lm_head", StringComparison.Ordinal)
                || name.EndsWith("word_embeddings.weight", StringComparison.Ordinal) || name.EndsWith("shared.weight", StringComparison.Ordinal)
                => TensorRole.VocabEmbedding,
            _ when shape.Count == 2 && IsColumn(name) && name.EndsWith(".weight", StringComparison.Ordinal) => TensorRole.ColumnLinear,
            _ when shape.Count == 2 && IsRow(name) && name.EndsWith(".weight", StringComparison.Ordinal) => TensorRole.RowLinear,
            _ when shape.Count == 1 && IsColumn(name) && name.EndsWith(".bias", StringComparison.Ordinal) => TensorRole.ColumnBias,
            _ when shape.Count == 2 && name.EndsWith(".weight", StringComparison.Ordinal) && !name.Contains("position", StringComparison.Ordinal)
                && !name.Contains("token_type", StringComparison.Ordinal) => TensorRole.Linear,
            _ => TensorRole.Replicated,
        };
        return new TensorSpec(name, rows, cols, role);
    }

    private static bool IsColumn(string name) =>
        name.Contains(".q_proj.", StringComparison.Ordinal) || name.Contains(".k_proj.", StringComparison.Ordinal)
        || name.Contains(".v_proj.", StringComparison.Ordinal) || name.Contains(".gate_proj.", StringComparison.Ordinal)
        || name.Contains(".up_proj.", StringComparison.Ordinal);

    private static bool IsRow(string name) =>
        name.Contains(".o_proj.", StringComparison.Ordinal) || name.Contains(".down_proj.", StringComparison.Ordinal);

    private static async Task<IReadOnlyList<string>> ShardsAsync(string folder, CancellationToken cancellationToken)
    {
        string index = Path.Combine(folder, IndexFile);
        try
        {
            IReadOnlyDictionary<string, string>? weightMap = File.Exists(index)
                ? SafetensorsIndex.ParseWeightMap(await File.ReadAllTextAsync(index, cancellationToken).ConfigureAwait(false), index)
                : null;
            return SafetensorsIndex.ShardPaths(folder, weightMap);
        }
        catch (SafetensorsFormatException ex)
        {
            throw new ModelFormatException(ex.Message, ex);
        }
    }
}
