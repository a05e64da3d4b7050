namespace Nlps.Cli.Packing;

/// <summary>What to pack and how.</summary>
internal sealed record PackRequest(string Project, string OutputDirectory, string? SigningKeyFile, string Configuration = "Release", string? Version = null);
