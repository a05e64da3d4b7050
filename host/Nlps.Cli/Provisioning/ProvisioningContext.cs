using System.Text.Json;
using Nlps.Cli.Client;
using Nlps.Provisioning.Checking;
using Nlps.Provisioning.Media;
using Nlps.Provisioning.Profiles;

namespace Nlps.Cli.Provisioning;

/// <summary>
/// What every apply step works with: nlpsd's admin API, the profile, the verified media, the handover file, and
/// <c>FollowModelJob</c>, which waits for a model job with a progress bar and returns nlpsctl's exit code for it.
/// </summary>
internal sealed record ProvisioningContext(
    AdminClient Client,
    CustomerProfile Profile,
    string MediaRoot,
    PreflightResult Preflight,
    HandoverFile Handover,
    Func<JsonElement, CancellationToken, Task<int>> FollowModelJob)
{
    public IReadOnlyList<MediaFile> FilesUnder(string relativePath) =>
        Preflight.Files.Where(f => f.Path == relativePath || f.Path.StartsWith(relativePath + "/", StringComparison.Ordinal)).ToList();

    public string Full(string relativePath) => Path.Combine(MediaRoot, relativePath);
}
