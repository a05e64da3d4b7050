namespace Nlps.Storage.Models;

/// <summary>A model in the store as the state database records it; the folder's manifest holds the per-file checksums.</summary>
/// <param name="Id">The model id (its folder name).</param>
/// <param name="ModelType">config.json "model_type".</param>
/// <param name="Task">chat, embedding or seq2seq.</param>
/// <param name="Dtype">The weights' element type as shipped.</param>
/// <param name="ParameterCount">Parameters, from the safetensors headers.</param>
/// <param name="TotalBytes">All files together.</param>
/// <param name="FileCount">Files in the manifest.</param>
/// <param name="ManifestSha256">SHA-256 of the manifest file, so a manifest changed behind the store's back is noticed.</param>
/// <param name="ImportedAt">When the import committed.</param>
/// <param name="VerifiedAt">When the files were last checked against the manifest; null when never after import.</param>
/// <param name="VerifyProblem">The first problem the last check found; null when it passed.</param>
public sealed record ModelRecord(
    string Id,
    string ModelType,
    string Task,
    string? Dtype,
    long ParameterCount,
    long TotalBytes,
    int FileCount,
    string ManifestSha256,
    DateTimeOffset ImportedAt,
    DateTimeOffset? VerifiedAt,
    string? VerifyProblem);
