namespace Nlps.Models.Store;

/// <summary>One file of a stored model: its path relative to the model folder ('/'-separated), size and SHA-256 (lower-case hex).</summary>
public sealed record ModelFileEntry(string Path, long Bytes, string Sha256);
