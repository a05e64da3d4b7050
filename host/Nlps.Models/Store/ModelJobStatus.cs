namespace Nlps.Models.Store;

/// <summary>A store job as the admin API shows it: what, how far, and how it ended.</summary>
/// <param name="Kind">import or verify.</param>
/// <param name="ErrorCode">The stable code when <see cref="State"/> is Failed (e.g. invalid_weights, checksum_mismatch).</param>
/// <param name="Verification">A verify job's report (also when files failed: the job itself succeeded in checking).</param>
public sealed record ModelJobStatus(
    string Id,
    string Kind,
    string ModelId,
    string? Source,
    ModelJobState State,
    ImportPhase? Phase,
    long BytesDone,
    long BytesTotal,
    string? CurrentFile,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? ErrorCode,
    string? Error,
    VerificationReport? Verification);
