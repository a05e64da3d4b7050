using Nlps.Plugins.Packaging;
using Nlps.Sdk.Manifest;

namespace Nlps.Cli.Packing;

/// <summary>The package written and the stamped manifest inside it.</summary>
internal sealed record PackResult(BuiltPackage Package, PluginManifest Manifest);
