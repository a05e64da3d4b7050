using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nlps.Models.Store;
using Nlps.Storage.Database;
using Nlps.Storage.Models;
using Nlps.Testing;

namespace Nlps.Api.Tests.Support;

/// <summary>nlpsd in process (TestServer) over a real state folder and SQLite database, trusting the test vendor key.</summary>
internal sealed class TestAppliance : WebApplicationFactory<Program>
{
    private readonly TempFolder folder = new("nlps-api");
    private readonly Dictionary<string, string?> settings;

    private readonly TimeProvider? time;

    /// <param name="overrides">Configuration keys to set or replace.</param>
    /// <param name="time">A clock for the whole host (key expiry, rate limits), or null for the system clock.</param>
    public TestAppliance(IDictionary<string, string?>? overrides = null, TimeProvider? time = null)
    {
        this.time = time;
        Packages = new PackageFactory(folder.Path);
        settings = new Dictionary<string, string?>
        {
            ["State:Directory"] = folder.Combine("state"),
            ["Plugins:TrustedKeyFiles:0"] = Packages.WriteTrustedKeyFile(),
            ["Plugins:DrainTimeout"] = "00:00:30",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
    }

    public PackageFactory Packages { get; }

    public string StateDirectory => settings["State:Directory"]!;

    /// <summary>
    /// Imports the model folder <paramref name="source"/> as <paramref name="id"/> through the model store, into the
    /// state folder, before the host starts (deployments are checked against the store at start).
    /// </summary>
    public Task ImportModelAsync(string source, string id) => WithStoreAsync(store => store.ImportAsync(source, id, progress: null, CancellationToken.None));

    /// <summary>Imports the PEFT adapter folder <paramref name="source"/> onto stored model <paramref name="baseId"/> as <paramref name="name"/>, before the host starts.</summary>
    public Task ImportAdapterAsync(string source, string baseId, string name) => WithStoreAsync(store => store.ImportAdapterAsync(source, baseId, name, progress: null, CancellationToken.None));

    private async Task WithStoreAsync(Func<ModelStore, Task> action)
    {
        var database = StateDatabase.Open(Path.Combine(StateDirectory, "nlps.db"), TimeProvider.System, NullLogger<StateDatabase>.Instance);
        try
        {
            await action(new ModelStore(Options.Create(new ModelStoreOptions { Directory = Path.Combine(StateDirectory, "models") }), new ModelCatalog(database)));
        }
        finally
        {
            database.Dispose();
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>A client with the administrator token (read from the 0600 file nlpsd wrote at first start).</summary>
    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken());
        return client;
    }

    public string AdminToken()
    {
        _ = Services; // starts the host, which writes the token
        return File.ReadAllText(Path.Combine(StateDirectory, "admin.token")).Trim();
    }

    public async Task<HttpResponseMessage> UploadAsync(HttpClient client, string packagePath)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(packagePath));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await client.PostAsync("/v1/admin/plugins", content);
    }

    public async Task InstallEchoAsync(HttpClient client, string version = "1.0.0")
    {
        using var response = await UploadAsync(client, await Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(version: version)));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Creates an API key through the admin API; returns its text.</summary>
    public async Task<string> CreateApiKeyAsync(HttpClient admin, string scopesJson, string extra = "")
    {
        using var response = await admin.PostAsync("/v1/admin/api-keys", Json($$"""{"name":"테스트 키","scopes":{{scopesJson}}{{extra}}}"""));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("key").GetString()!;
    }

    /// <summary>A client that sends <paramref name="bearer"/>.</summary>
    public HttpClient CreateClientWith(string bearer)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
        if (time is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Dispose();
        }
    }
}
