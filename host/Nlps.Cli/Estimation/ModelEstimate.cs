using Nlps.Models.Estimation;

namespace Nlps.Cli.Estimation;

/// <summary>One model's estimate for every tensor-parallel degree asked, and why the others cannot be used.</summary>
internal sealed record ModelEstimate(
    ModelProfile Model,
    WorkloadShape Workload,
    string? ContextRefusal,
    IReadOnlyList<MemoryEstimate> Estimates,
    IReadOnlyList<(int TensorParallel, string Reason)> Unsplittable)
{
    public static async Task<ModelEstimate> ComputeAsync(EstimateRequest request, MemoryEstimator estimator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.ConfigFile.Exists)
        {
            throw new ArgumentException($"{request.ConfigFile.FullName} does not exist");
        }

        QuantizationMode quantization = ParseQuantization(request.Quantization);
        KvCacheType kvCache = ParseKvCache(request.KvCache);
        if (request.MaxSequences < 1)
        {
            throw new ArgumentException($"--sequences must be at least 1 (got {request.MaxSequences})");
        }

        if (request.MaxContext is < 1)
        {
            throw new ArgumentException($"--context must be at least 1 (got {request.MaxContext})");
        }

        if (request.TensorParallel is { } degree && !TensorParallelRules.Degrees.Contains(degree))
        {
            throw new ArgumentException($"--tp must be one of {string.Join(", ", TensorParallelRules.Degrees)} (got {degree})");
        }

        ModelProfile model = await LoadAsync(request.ConfigFile, cancellationToken);
        var workload = new WorkloadShape(quantization, request.MaxContext ?? model.Architecture.ContextLimit, request.MaxSequences, kvCache);
        string? contextRefusal = MemoryEstimator.CheckContext(model, workload);
        var estimates = new List<MemoryEstimate>();
        var unsplittable = new List<(int, string)>();
        if (contextRefusal is null)
        {
            foreach (int tp in request.TensorParallel is { } only ? [only] : TensorParallelRules.Degrees)
            {
                if (TensorParallelRules.Check(model.Architecture, quantization, tp) is { } reason)
                {
                    unsplittable.Add((tp, reason));
                }
                else
                {
                    estimates.Add(estimator.EstimateGpu(model, workload, tp));
                }
            }
        }

        return new ModelEstimate(model, workload, contextRefusal, estimates, unsplittable);
    }

    private static async Task<ModelProfile> LoadAsync(FileInfo configFile, CancellationToken cancellationToken)
    {
        ModelArchitecture architecture = await ModelConfigReader.ReadAsync(configFile.FullName, cancellationToken);
        string folder = configFile.DirectoryName!;
        string id = Path.GetFileName(folder);
        bool hasWeights = File.Exists(Path.Combine(folder, SafetensorsWeights.IndexFile))
            || Directory.EnumerateFiles(folder, "*.safetensors").Any();
        WeightInventory weights = hasWeights
            ? await SafetensorsWeights.ReadFolderAsync(folder, cancellationToken)
            : ArchitectureWeights.From(architecture);
        return new ModelProfile(id, architecture, weights);
    }

    private static QuantizationMode ParseQuantization(string text) =>
        Enum.TryParse(text, ignoreCase: true, out QuantizationMode mode) && !int.TryParse(text, out _)
            ? mode
            : throw new ArgumentException($"--quant '{text}' is not one of {string.Join(", ", Enum.GetNames<QuantizationMode>().Select(n => n.ToLowerInvariant()))}");

    private static KvCacheType ParseKvCache(string text) =>
        Enum.TryParse(text, ignoreCase: true, out KvCacheType type) && !int.TryParse(text, out _)
            ? type
            : throw new ArgumentException($"--kv-cache '{text}' is not one of {string.Join(", ", Enum.GetNames<KvCacheType>().Select(n => n.ToLowerInvariant()))}");
}
