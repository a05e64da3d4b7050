namespace Nlps.Inference.Engine;

/// <summary>
/// What a model's batch decoder holds right now, for schedulers and operators: sequences decoding together, those
/// waiting for a place, and the KV-cache memory of the running ones (each cache is sized for its prompt plus its
/// token limit when it joins).
/// </summary>
public sealed record EngineLoad(int RunningSequences, int QueuedSequences, long KvCacheBytes, long KvCacheBytesPerToken, IReadOnlyList<long> KvCacheBytesPerSequence);
