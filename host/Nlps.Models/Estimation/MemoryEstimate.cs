namespace Nlps.Models.Estimation;

/// <summary>The estimator's answer for one model, one workload and one tensor-parallel degree.</summary>
/// <param name="PerDevice">What each of the <paramref name="TensorParallel"/> devices must hold (identical on every rank).</param>
/// <param name="KvBytesPerTokenPerDevice">KV bytes one cached token costs on each device.</param>
/// <param name="KvTokens">Cached tokens reserved: sequences × tokens per sequence rounded to blocks.</param>
public sealed record MemoryEstimate(
    string ModelId,
    int TensorParallel,
    MemoryBreakdown PerDevice,
    long KvBytesPerTokenPerDevice,
    long KvTokens,
    long ParameterCount,
    string WeightsSource);
