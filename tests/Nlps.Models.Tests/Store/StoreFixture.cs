using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nlps.Models.Store;
using Nlps.Storage.Database;
using Nlps.Storage.Models;

namespace Nlps.Models.Tests.Store;

/// <summary>A model store over a real temp folder and a real SQLite state database.</summary>
internal sealed class StoreFixture : IDisposable
{
    public StoreFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"nlps-store-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        Database = StateDatabase.Open(Path.Combine(Folder, "state", "nlps.db"), TimeProvider.System, NullLogger<StateDatabase>.Instance);
        Catalog = new ModelCatalog(Database);
        Store = new ModelStore(Options.Create(new ModelStoreOptions { Directory = Path.Combine(Folder, "state", "models") }), Catalog);
    }

    public string Folder { get; }

    public StateDatabase Database { get; }

    public ModelCatalog Catalog { get; }

    public ModelStore Store { get; }

    public string Source(string name) => Path.Combine(Folder, "source", name);

    /// <summary>Every file under the store's folder, relative, '/'-separated.</summary>
    public IReadOnlyList<string> StoreFiles() => Directory.Exists(Store.Root)
        ? Directory.EnumerateFiles(Store.Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Store.Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList()
        : [];

    public void Dispose()
    {
        Database.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
