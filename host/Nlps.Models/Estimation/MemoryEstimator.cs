namespace Nlps.Models.Estimation;

/// <summary>Pure arithmetic: model + workload + tensor-parallel degree → bytes per device, by cause.</summary>
public sealed class MemoryEstimator
{
    private readonly EstimatorOptions _options;

    public MemoryEstimator(EstimatorOptions? options = null)
    {
        _options = options ?? new EstimatorOptions();
    }

    public EstimatorOptions Options => _options;

    /// <summary>Null when the workload's context is within the model's limit, else the refusal text.</summary>
    public static string? CheckContext(ModelProfile model, WorkloadShape shape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(shape);
        int limit = model.Architecture.ContextLimit;
        return shape.MaxContext > limit
            ? $"max context {shape.MaxContext} exceeds {model.Id}'s limit of {limit} tokens (config.json)"
            : null;
    }

    /// <summary>Bytes on each of <paramref name="tensorParallel"/> GPUs. Call <see cref="TensorParallelRules.Check"/> first.</summary>
    public MemoryEstimate EstimateGpu(ModelProfile model, WorkloadShape shape, int tensorParallel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(shape.MaxContext, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shape.MaxSequences, 1);
        long parameters = model.Weights.ParameterCount;
        bool large = model.Architecture.Family == ModelFamily.Decoder || parameters >= _options.SmallModelParameters;
        long workspace = large ? _options.DecoderWorkspaceBytes : _options.SmallModelWorkspaceBytes;
        long communication = tensorParallel > 1 ? _options.TensorParallelCommunicationBytes : 0;
        return Estimate(model, shape, tensorParallel, workspace, communication);
    }

    /// <summary>RAM the built-in CPU engine needs (one rank, no communication).</summary>
    public MemoryEstimate EstimateCpu(ModelProfile model, WorkloadShape shape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(shape);
        return Estimate(model, shape, 1, _options.CpuWorkspaceBytes, 0);
    }

    private MemoryEstimate Estimate(ModelProfile model, WorkloadShape shape, int tp, long workspace, long communication)
    {
        long perToken = KvCache.BytesPerTokenPerRank(model.Architecture, shape.KvCache, tp);
        long tokensPerSequence = KvCache.RoundToBlocks(KvCache.TokensPerSequence(model.Architecture, shape.MaxContext), _options.KvBlockTokens);
        long tokens = checked(tokensPerSequence * shape.MaxSequences);
        var breakdown = new MemoryBreakdown(
            shape.ExactWeightBytes is long exact && tp == 1 ? exact : WeightBytes.PerRank(model.Weights, shape.Quantization, tp),
            checked(perToken * tokens),
            workspace,
            communication,
            shape.Lora?.Bytes(model.Weights) ?? 0);
        return new MemoryEstimate(model.Id, tp, breakdown, perToken, tokens, model.Weights.ParameterCount, model.Weights.Source);
    }
}
