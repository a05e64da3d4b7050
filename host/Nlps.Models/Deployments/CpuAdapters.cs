using Nlps.Models.Estimation;
using Nlps.Models.Store;

namespace Nlps.Models.Deployments;

/// <summary>
/// The LoRA adapters a CPU deployment serves, resolved against its stored model at start: served name → adapter
/// folder for those applied per request, or the one merged at load; and the RAM the unmerged ones take (every A and B
/// matrix in f32, counted from the adapter files' headers), which the scheduler adds to the deployment's size.
/// </summary>
internal sealed record CpuAdapters(IReadOnlyDictionary<string, string> Unmerged, string? Merged, string? MergedFolder, long Bytes, int MaxRank)
{
    public static readonly CpuAdapters None = new(new Dictionary<string, string>(StringComparer.Ordinal), null, null, 0, 0);

    /// <summary>Every served adapter name.</summary>
    public IReadOnlyList<string> Served => Merged is null ? [.. Unmerged.Keys.Order(StringComparer.Ordinal)] : [Merged];

    /// <summary>The estimator's adapter term: the exact bytes of the unmerged adapters (a merged one costs nothing extra).</summary>
    public LoraBudget? Budget => Unmerged.Count == 0 ? null : new LoraBudget(Unmerged.Count, MaxRank, Bytes);

    /// <summary>Checks each configured adapter is stored on the deployment's model; a missing one names the key and the stored ones.</summary>
    public static async Task<CpuAdapters> ResolveAsync(ModelStore store, string key, DeploymentOptions d, ModelManifest manifest, CancellationToken cancellationToken)
    {
        IReadOnlyList<(string Served, string Stored)> configured = DeploymentAdapters.Of(d);
        if (configured.Count == 0)
        {
            return None;
        }

        if (manifest.Task != ModelTask.Chat)
        {
            throw new InvalidOperationException($"{key}:Adapters: model '{d.Model}' is a {manifest.Task.ToString().ToLowerInvariant()} model; LoRA adapters apply to chat models only");
        }

        string folder = store.ModelFolder(d.Model);
        var unmerged = new Dictionary<string, string>(StringComparer.Ordinal);
        long bytes = 0;
        int maxRank = 0;
        foreach ((string served, string stored) in configured)
        {
            AdapterEntry entry = manifest.Adapters.FirstOrDefault(a => a.Name == stored)
                ?? throw new InvalidOperationException(
                    $"{DeploymentAdapters.Key(key, served)}: model '{d.Model}' has no stored adapter '{stored}' (stored: {DeploymentAdapters.Describe(manifest.Adapters.Select(a => a.Name).ToList())}); import it with nlpsctl models import <folder> --base {d.Model}");
            string adapterFolder = StorePaths.Resolve(folder, $"adapters/{entry.Name}");
            if (d.MergeAdapter)
            {
                return new CpuAdapters(new Dictionary<string, string>(StringComparer.Ordinal), served, adapterFolder, 0, entry.Rank);
            }

            unmerged[served] = adapterFolder;
            maxRank = Math.Max(maxRank, entry.Rank);
            foreach (string file in Directory.EnumerateFiles(adapterFolder, "*.safetensors"))
            {
                var tensors = await Estimation.SafetensorsHeader.ReadAsync(file, cancellationToken).ConfigureAwait(false);
                bytes += DeploymentAdapters.EngineBytes(tensors.Sum(t => t.Elements));
            }
        }

        return new CpuAdapters(unmerged, null, null, bytes, maxRank);
    }
}
