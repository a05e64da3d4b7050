using Nlps.Hardware.Snapshot;
using Nlps.Models;
using Nlps.Models.Estimation;
using Nlps.Models.Planning;
using Nlps.Plugins.Packaging;
using Nlps.Provisioning.Media;
using Nlps.Provisioning.Profiles;

namespace Nlps.Provisioning.Checking;

/// <summary>
/// Reads only: verifies every media file the profile uses against SHA256SUMS, every plugin package's hashes and
/// signature, that every data import names a plugin being installed, that the box is what the profile expects, and
/// that the models fit. All problems are collected so the report names each one.
/// </summary>
public sealed class Preflight(PlannerOptions? plannerOptions = null)
{
    public async Task<PreflightResult> RunAsync(CustomerProfile profile, string mediaRoot, HardwareSnapshot snapshot, IProgress<(long Done, long Total)>? hashing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(snapshot);
        var problems = new List<PreflightProblem>();
        IReadOnlyList<MediaFile> files = [];
        var plugins = new List<VerifiedPlugin>();
        try
        {
            MediaChecksums checksums = await MediaChecksums.ReadAsync(mediaRoot, cancellationToken).ConfigureAwait(false);
            var verifier = new MediaVerifier(mediaRoot, checksums);
            List<string> paths = profile.Models.SelectMany(m => verifier.Expand(m.Path))
                .Concat(profile.Plugins.Select(p => p.Package))
                .Concat(profile.Data.SelectMany(d => verifier.Expand(d.Path)))
                .Concat(profile.TrustedKeys)
                .ToList();
            long total = verifier.TotalBytes(paths);
            (files, IReadOnlyList<PreflightProblem> mediaProblems) = await verifier.VerifyAsync(
                paths, hashing is null ? null : new SynchronousProgress<long>(done => hashing.Report((done, total))), cancellationToken).ConfigureAwait(false);
            problems.AddRange(mediaProblems);
            if (mediaProblems.Count == 0)
            {
                plugins.AddRange(await VerifyPackagesAsync(profile, verifier, problems, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (MediaException ex)
        {
            problems.Add(new PreflightProblem(ex.Code, ex.Subject, ex.Message));
        }

        foreach (DataImportSpec data in profile.Data.Where(d => problems.Count == 0 && plugins.All(p => p.Id != d.Agent)))
        {
            problems.Add(new PreflightProblem("unknown_plugin", data.Agent, $"data {data.Path} is for agent '{data.Agent}', which no plugin in the profile provides ({string.Join(", ", plugins.Select(p => p.Id))})"));
        }

        var models = new Dictionary<string, ModelProfile>(StringComparer.Ordinal);
        foreach (ModelSpec model in profile.Models)
        {
            string folder = Path.Combine(mediaRoot, model.Path);
            try
            {
                ModelArchitecture architecture = await ModelConfigReader.ReadAsync(Path.Combine(folder, "config.json"), cancellationToken).ConfigureAwait(false);
                WeightInventory weights = await SafetensorsWeights.ReadFolderAsync(folder, cancellationToken).ConfigureAwait(false);
                models[model.Id] = new ModelProfile(model.Id, architecture, weights);
            }
            catch (Exception ex) when (ex is ModelFormatException or IOException)
            {
                problems.Add(new PreflightProblem("model_unreadable", model.Id, $"{model.Path}: {ex.Message}"));
            }
        }

        (Plan plan, IReadOnlyList<PreflightProblem> fit) = new HardwareCheck(plannerOptions).Run(snapshot, profile, models);
        problems.AddRange(fit);
        return new PreflightResult(snapshot, plan, files, plugins, problems);
    }

    private static async Task<List<VerifiedPlugin>> VerifyPackagesAsync(CustomerProfile profile, MediaVerifier media, List<PreflightProblem> problems, CancellationToken cancellationToken)
    {
        var verified = new List<VerifiedPlugin>();
        TrustedKeyRing keys;
        try
        {
            keys = TrustedKeyRing.FromPemFiles(profile.TrustedKeys.Select(media.Full));
        }
        catch (InvalidSigningKeyException ex)
        {
            problems.Add(new PreflightProblem("trusted_key_invalid", string.Join(", ", profile.TrustedKeys), ex.Message));
            return verified;
        }

        var verifier = new PackageVerifier(new PackageVerificationOptions { TrustedKeys = keys });
        string staging = Path.Combine(Path.GetTempPath(), "nlps-preflight-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (PluginSpec plugin in profile.Plugins)
            {
                try
                {
                    VerifiedPackage package = await verifier.VerifyAndExtractAsync(media.Full(plugin.Package), staging, cancellationToken).ConfigureAwait(false);
                    if (verified.Any(v => v.Id == package.Manifest.Id))
                    {
                        problems.Add(new PreflightProblem("plugin_twice", plugin.Package, $"{plugin.Package}: plugin '{package.Manifest.Id}' is listed twice"));
                    }

                    verified.Add(new VerifiedPlugin(plugin.Package, package.Manifest.Id, package.Manifest.Version.ToString(), package.PackageSha256, package.SignerKeyId));
                }
                catch (PackageRejectedException ex)
                {
                    problems.Add(new PreflightProblem("plugin_rejected", plugin.Package, $"{plugin.Package}: {ex.Code}: {ex.Message}"));
                }
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return verified;
    }
}
