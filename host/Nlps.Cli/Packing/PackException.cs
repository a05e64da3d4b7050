namespace Nlps.Cli.Packing;

/// <summary>Packing failed; the message says why.</summary>
internal sealed class PackException(string message) : Exception(message);
