namespace Nlps.Provisioning.Media;

/// <summary>A file on the media that provisioning uses, as verified.</summary>
/// <param name="Path">Relative to the media root, with '/' separators.</param>
public sealed record MediaFile(string Path, long Bytes, string Sha256);
