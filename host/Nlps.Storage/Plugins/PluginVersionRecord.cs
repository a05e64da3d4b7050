namespace Nlps.Storage.Plugins;

/// <summary>One installed version of a plugin: where its unpacked files are and what was verified about its package.</summary>
/// <param name="PluginId">The plugin's id (from its manifest).</param>
/// <param name="Version">The version (from its manifest).</param>
/// <param name="InstalledAt">When it was installed (UTC).</param>
/// <param name="Path">The folder holding the unpacked plugin.</param>
/// <param name="ManifestJson">The manifest as installed.</param>
/// <param name="PackageSha256">The SHA-256 of the <c>.nlpkg</c>, lower-case hex.</param>
/// <param name="SignerKeyId">The key that signed the package, or null when unsigned.</param>
public sealed record PluginVersionRecord(
    string PluginId,
    string Version,
    DateTimeOffset InstalledAt,
    string Path,
    string ManifestJson,
    string PackageSha256,
    string? SignerKeyId);
