using Nlps.Hardware.Snapshot;
using Nlps.Models.Planning;
using Nlps.Provisioning.Media;

namespace Nlps.Provisioning.Checking;

/// <summary>Everything checked before provisioning changes anything; it may go ahead only when <see cref="Problems"/> is empty.</summary>
/// <param name="Plan">The placement of the profile's models, or null when the models could not be read.</param>
public sealed record PreflightResult(
    HardwareSnapshot Hardware,
    Plan? Plan,
    IReadOnlyList<MediaFile> Files,
    IReadOnlyList<VerifiedPlugin> Plugins,
    IReadOnlyList<PreflightProblem> Problems)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>A plugin package whose hashes and signature were verified against the profile's trusted keys.</summary>
public sealed record VerifiedPlugin(string Package, string Id, string Version, string PackageSha256, string? SignerKeyId);
