using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Nlps.Plugins.Management;
using Nlps.Plugins.Packaging;
using Nlps.Plugins.Runtime;
using Nlps.Sdk.Manifest;
using Nlps.Storage.Database;
using Nlps.Storage.Documents;
using Nlps.Storage.KeyValue;
using Nlps.Storage.Plugins;
using Nlps.Storage.Vectors;
using Nlps.Testing;

namespace Nlps.Plugins.Tests.Management;

/// <summary>A plugin host on a real state folder and SQLite database, as nlpsd wires it.</summary>
internal sealed class PluginHostTestBed : IAsyncDisposable
{
    private readonly TempFolder folder = new("nlps-plugins");
    private readonly List<PluginManager> managers = [];

    public PluginHostTestBed(Action<PluginHostOptions>? configure = null, IDictionary<string, string?>? configuration = null)
    {
        Options = new PluginHostOptions
        {
            PluginsDirectory = folder.Combine("plugins"),
            StagingDirectory = folder.Combine("staging"),
            DataDirectory = folder.Combine("plugin-data"),
            DrainTimeout = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(Options);
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build();
        Database = StateDatabase.Open(folder.Combine("nlps.db"), TimeProvider.System, NullLogger<StateDatabase>.Instance);
        Catalog = new PluginCatalog(Database, TimeProvider.System);
        Stores = new KeyValueStoreFactory(Database, TimeProvider.System);
        Packages = new PackageFactory(folder.Path);
    }

    public PluginHostOptions Options { get; }

    public IConfiguration Configuration { get; }

    public StateDatabase Database { get; }

    public PluginCatalog Catalog { get; }

    public KeyValueStoreFactory Stores { get; }

    public PackageFactory Packages { get; }

    public string Root => folder.Path;

    /// <summary>A manager over this state folder, as a fresh nlpsd process would build it (not started).</summary>
    public PluginManager CreateManager()
    {
        var verifier = new PackageVerifier(new PackageVerificationOptions
        {
            TrustedKeys = PackageFactory.TrustedKeys,
            AllowUnsigned = Options.AllowUnsigned,
            HostSdkVersion = SdkCompatibility.Current,
        });
        var activator = new AgentActivator(NullLoggerFactory.Instance, new NoDeployedModels(), TimeProvider.System);
        var manager = new PluginManager(Catalog, Stores, new DocumentStoreFactory(Database, TimeProvider.System), new VectorStoreFactory(Database, TimeProvider.System), verifier, activator, Configuration, new Nlps.Plugins.Configuration.PluginConfigStore(new Nlps.Storage.Settings.SettingsStore(Database, TimeProvider.System)), Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, NullLogger<PluginManager>.Instance);
        managers.Add(manager);
        return manager;
    }

    public async Task<PluginManager> StartManagerAsync()
    {
        var manager = CreateManager();
        await manager.StartAsync(CancellationToken.None);
        return manager;
    }

    /// <summary>Calls a unary operation of a running agent with a JSON body.</summary>
    public static async Task<string> InvokeAsync(PluginManager manager, string agentId, string operation, string json = "{}")
    {
        Assert.True(manager.TryGetRunning(agentId, out var agent, out var status), $"{agentId} is not running: {status?.State} {status?.Reason}");
        Assert.True(agent.TryEnter());
        try
        {
            var response = await agent.Operations[operation].InvokeAsync(Encoding.UTF8.GetBytes(json), CancellationToken.None);
            return Encoding.UTF8.GetString(response);
        }
        finally
        {
            agent.Exit();
        }
    }

    public string[] StagingLeftovers() =>
        Directory.Exists(Options.StagingDirectory) ? Directory.GetFileSystemEntries(Options.StagingDirectory) : [];

    public async ValueTask DisposeAsync()
    {
        foreach (var manager in managers)
        {
            await manager.DisposeAsync();
        }

        Database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }
}
