namespace Nlps.Models.Store;

/// <summary>The outcome of checking a stored model's files against its manifest.</summary>
public sealed record VerificationReport(string ModelId, bool Ok, long BytesChecked, IReadOnlyList<FileProblem> Problems);

/// <summary>A file that failed a check, and how.</summary>
public sealed record FileProblem(string Path, string Problem);
