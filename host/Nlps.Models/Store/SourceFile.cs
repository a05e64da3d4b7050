namespace Nlps.Models.Store;

/// <summary>A file an import will copy: where it is, where it goes ('/'-separated, relative), and the checksum its source vouches for, if any.</summary>
/// <param name="ExpectedSha256">From a Hugging Face cache link (snapshots/…/file → blobs/&lt;sha256&gt;); null otherwise.</param>
internal sealed record SourceFile(string FullPath, string RelativePath, long Bytes, long ModifiedTicks, string? ExpectedSha256);
