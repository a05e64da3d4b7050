namespace Nlps.Models.Store;

/// <summary>
/// Written in the staging folder after every file an import finishes, so a re-run after a kill skips what is done.
/// A file counts as done only while its source still has the same size and modification time.
/// </summary>
internal sealed record ImportJournal(string Source, IReadOnlyList<ImportJournal.DoneFile> Done)
{
    public const string FileName = ".import-journal.json";

    public sealed record DoneFile(string Path, long Bytes, long SourceModifiedTicks, string Sha256);
}
