namespace Nlps.Formats.Peft;

/// <summary>
/// Matches the tensors of a PEFT adapter file with the base model's: every tensor must be a <c>lora_A</c> or
/// <c>lora_B</c> matrix (PEFT's <c>base_model.model.</c> prefix and an adapter-name segment are understood), each A
/// needs its B, each pair must adapt a 2-D base tensor of a listed target module with A = [r, in] and B = [out, r],
/// and each target module must name layers the base has. The first mismatch is refused with the tensor and both shapes.
/// </summary>
public static class LoraLayout
{
    private const string PeftPrefix = "base_model.model.";

    /// <summary>The adapted layers, in base tensor order.</summary>
    /// <param name="config">The adapter's config.</param>
    /// <param name="adapterShapes">Every tensor of the adapter file with its shape.</param>
    /// <param name="baseShape">The base model's tensor shape by name, or null when it has no such tensor.</param>
    /// <param name="origin">The adapter, as errors name it.</param>
    public static IReadOnlyList<LoraPair> Match(LoraAdapterConfig config, IReadOnlyDictionary<string, IReadOnlyList<long>> adapterShapes, Func<string, IReadOnlyList<long>?> baseShape, string origin)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(adapterShapes);
        ArgumentNullException.ThrowIfNull(baseShape);
        var halves = new Dictionary<string, (string? A, string? B)>(StringComparer.Ordinal);
        foreach (string name in adapterShapes.Keys.Order(StringComparer.Ordinal))
        {
            if (!TryParse(name, out string baseTensor, out bool isA))
            {
                throw new LoraAdapterException($"{origin}: tensor '{name}' is not a lora_A or lora_B matrix (trained biases, embeddings or modules_to_save are not supported)");
            }

            (string? a, string? b) = halves.GetValueOrDefault(baseTensor);
            halves[baseTensor] = isA ? (name, b) : (a, name);
        }

        if (halves.Count == 0)
        {
            throw new LoraAdapterException($"{origin}: the adapter file holds no lora_A / lora_B tensors");
        }

        var pairs = new List<LoraPair>(halves.Count);
        foreach ((string baseTensor, (string? a, string? b)) in halves.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            if (a is null || b is null)
            {
                string present = (a ?? b)!;
                string missing = a is null ? present.Replace("lora_B", "lora_A", StringComparison.Ordinal) : present.Replace("lora_A", "lora_B", StringComparison.Ordinal);
                throw new LoraAdapterException($"{origin}: tensor '{missing}' is missing; '{present}' has no partner");
            }

            string module = Module(baseTensor);
            if (!config.Targets(module))
            {
                throw new LoraAdapterException($"{origin}: tensor '{a}' adapts module '{module}', which target_modules [{string.Join(", ", config.TargetModules)}] does not list");
            }

            IReadOnlyList<long> target = baseShape(baseTensor)
                ?? throw new LoraAdapterException($"{origin}: tensor '{a}' adapts '{baseTensor}', which the base model does not have");
            if (target.Count != 2)
            {
                throw new LoraAdapterException($"{origin}: tensor '{a}' adapts '{baseTensor}' of shape {Shape(target)}, which is not a matrix");
            }

            long outDim = target[0];
            long inDim = target[1];
            Check(origin, a, adapterShapes[a], [config.Rank, inDim], baseTensor, target, $"[r={config.Rank}, in={inDim}]");
            Check(origin, b, adapterShapes[b], [outDim, config.Rank], baseTensor, target, $"[out={outDim}, r={config.Rank}]");
            pairs.Add(new LoraPair(baseTensor, module, a, b, config.Rank, checked((int)inDim), checked((int)outDim)));
        }

        if (!config.TargetModules.Contains(LoraAdapterConfig.AllLinear, StringComparer.Ordinal))
        {
            foreach (string module in config.TargetModules.Where(m => !pairs.Any(p => p.Module == m)))
            {
                throw new LoraAdapterException($"{origin}: target module '{module}' has no lora_A / lora_B tensors in the adapter file (adapted modules: {string.Join(", ", pairs.Select(p => p.Module).Distinct())})");
            }
        }

        return pairs;
    }

    /// <summary>
    /// Reads <c>base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight</c> (optionally with an adapter-name
    /// segment before <c>.weight</c>) as the base tensor <c>model.layers.0.self_attn.q_proj.weight</c> and A.
    /// </summary>
    public static bool TryParse(string name, out string baseTensor, out bool isA)
    {
        ArgumentNullException.ThrowIfNull(name);
        baseTensor = string.Empty;
        isA = false;
        string rest = name.StartsWith(PeftPrefix, StringComparison.Ordinal) ? name[PeftPrefix.Length..] : name;
        foreach ((string marker, bool a) in (ReadOnlySpan<(string, bool)>)[(".lora_A.", true), (".lora_B.", false)])
        {
            int at = rest.LastIndexOf(marker, StringComparison.Ordinal);
            if (at <= 0 || !rest.EndsWith(".weight", StringComparison.Ordinal))
            {
                continue;
            }

            string tail = rest[(at + marker.Length)..];
            if (tail != "weight" && tail.Count(c => c == '.') != 1)
            {
                continue;
            }

            baseTensor = rest[..at] + ".weight";
            isA = a;
            return true;
        }

        return false;
    }

    /// <summary>The module name of a base tensor: <c>q_proj</c> for <c>model.layers.0.self_attn.q_proj.weight</c>.</summary>
    public static string Module(string baseTensor)
    {
        ArgumentNullException.ThrowIfNull(baseTensor);
        string layer = baseTensor.EndsWith(".weight", StringComparison.Ordinal) ? baseTensor[..^".weight".Length] : baseTensor;
        return layer[(layer.LastIndexOf('.') + 1)..];
    }

    private static void Check(string origin, string tensor, IReadOnlyList<long> actual, long[] expected, string baseTensor, IReadOnlyList<long> baseShape, string expectedText)
    {
        if (!actual.SequenceEqual(expected))
        {
            throw new LoraAdapterException(
                $"{origin}: tensor '{tensor}' has shape {Shape(actual)} but base tensor '{baseTensor}' {Shape(baseShape)} needs {expectedText}");
        }
    }

    private static string Shape(IReadOnlyList<long> shape) => $"[{string.Join(", ", shape)}]";
}
