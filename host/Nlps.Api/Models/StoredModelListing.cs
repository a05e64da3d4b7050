using Nlps.Models.Store;
using Nlps.Storage.Models;

namespace Nlps.Api.Models;

/// <summary>A stored model as <c>GET /v1/admin/models</c> lists it: its catalog row and the LoRA adapters stored on it.</summary>
/// <param name="Id">The model id (its folder name).</param>
/// <param name="ModelType">config.json "model_type".</param>
/// <param name="Task">chat, embedding or seq2seq.</param>
/// <param name="Dtype">The weights' element type as shipped.</param>
/// <param name="ParameterCount">Parameters of the base, from the safetensors headers.</param>
/// <param name="TotalBytes">All files together, adapters included.</param>
/// <param name="FileCount">Files in the manifest.</param>
/// <param name="ManifestSha256">SHA-256 of the manifest file.</param>
/// <param name="ImportedAt">When the import committed.</param>
/// <param name="VerifiedAt">When the files were last checked against the manifest.</param>
/// <param name="VerifyProblem">The first problem the last check found; null when it passed.</param>
/// <param name="Adapters">From the model's manifest; empty when it has none (or its manifest cannot be read, which verify reports).</param>
public sealed record StoredModelListing(
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
    string? VerifyProblem,
    IReadOnlyList<AdapterEntry> Adapters)
{
    /// <summary>Every stored model, by id, with its adapters.</summary>
    /// <param name="store">The model store.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<IReadOnlyList<StoredModelListing>> ListAsync(ModelStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var listing = new List<StoredModelListing>();
        foreach (ModelRecord r in await store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            IReadOnlyList<AdapterEntry> adapters;
            try
            {
                adapters = (await store.GetManifestAsync(r.Id, cancellationToken).ConfigureAwait(false)).Adapters ?? [];
            }
            catch (ModelStoreException)
            {
                adapters = [];
            }

            listing.Add(new StoredModelListing(r.Id, r.ModelType, r.Task, r.Dtype, r.ParameterCount, r.TotalBytes, r.FileCount, r.ManifestSha256, r.ImportedAt, r.VerifiedAt, r.VerifyProblem, adapters));
        }

        return listing;
    }
}
