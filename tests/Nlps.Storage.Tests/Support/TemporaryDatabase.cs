using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Nlps.Storage.Database;

namespace Nlps.Storage.Tests.Support;

/// <summary>A real state database in its own temporary folder, removed afterwards.</summary>
internal sealed class TemporaryDatabase : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("nlps-storage-");
    private StateDatabase? database;

    public string Folder => folder.FullName;

    public string FilePath => System.IO.Path.Combine(folder.FullName, "state", "nlps.db");

    public ManualTimeProvider Time { get; } = new();

    public StateDatabase Database => database ??= Open();

    public StateDatabase Open() => StateDatabase.Open(FilePath, Time, NullLogger<StateDatabase>.Instance);

    /// <summary>Closes every pooled connection, as a process exit would.</summary>
    public void CloseAll()
    {
        database?.Dispose();
        database = null;
        SqliteConnection.ClearAllPools();
    }

    public void Dispose()
    {
        CloseAll();
        folder.Delete(recursive: true);
    }
}
