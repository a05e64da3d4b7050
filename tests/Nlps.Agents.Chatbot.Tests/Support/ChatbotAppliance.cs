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
using Nlps.Plugins.Runtime;
using Nlps.Storage.Database;
using Nlps.Storage.Models;
using Nlps.Testing;

namespace Nlps.Agents.Chatbot.Tests.Support;

/// <summary>
/// nlpsd in process over a real state folder and SQLite file, with the packed chatbot installed over HTTP (the
/// pattern of Nlps.Api.Tests' TestAppliance). With <paramref name="models"/> the test model doubles serve every
/// role; without, the appliance has no models, as a box without deployments. A second instance over the same
/// <see cref="StateFolder"/> is a restart of nlpsd. <paramref name="settings"/> adds configuration (e.g. a
/// <c>Models:Deployments</c> entry for a model imported with <see cref="ImportModelAsync"/>).
/// </summary>
internal sealed class ChatbotAppliance(StateFolder state, TestModels? models = null, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string AgentId = "nlps.chatbot";

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.Timeout = TimeSpan.FromMinutes(5);
        _ = Services;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(state.Directory, "admin.token")).Trim());
        return client;
    }

    public Task InstallChatbotAsync(HttpClient client) => InstallAsync(client, "Nlps.Agents.Chatbot");

    /// <summary>Packs a first-party agent from plugins/ and installs it over HTTP.</summary>
    public async Task InstallAsync(HttpClient client, string project)
    {
        var package = await state.Packages.BuildFirstPartyAsync(project);
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(package));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync("/v1/admin/plugins", content);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Imports a model folder into the state folder's model store; call it before the appliance starts.</summary>
    public static async Task ImportModelAsync(StateFolder state, string source, string id)
    {
        ArgumentNullException.ThrowIfNull(state);
        var database = StateDatabase.Open(Path.Combine(state.Directory, "nlps.db"), TimeProvider.System, NullLogger<StateDatabase>.Instance);
        try
        {
            var store = new ModelStore(Options.Create(new ModelStoreOptions { Directory = Path.Combine(state.Directory, "models") }), new ModelCatalog(database));
            await store.ImportAsync(source, id, progress: null, CancellationToken.None);
        }
        finally
        {
            database.Dispose();
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>Calls a streaming operation and returns each server-sent event's data as JSON, in order.</summary>
    public static async Task<IReadOnlyList<JsonElement>> StreamOkAsync(HttpClient client, string operation, object body)
    {
        using var response = await CallAsync(client, operation, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{operation}: {(int)response.StatusCode} {text}");
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("event: done\ndata: {}\n\n", text, StringComparison.Ordinal);
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.Clone())
            .ToList();
    }

    public static async Task<HttpResponseMessage> CallAsync(HttpClient client, string operation, object body)
    {
        var json = JsonSerializer.Serialize(body, JsonOptions);
        return await client.PostAsync($"/v1/agents/{AgentId}/{operation}", new StringContent(json, Encoding.UTF8, "application/json"));
    }

    public static async Task<JsonElement> CallOkAsync(HttpClient client, string operation, object body)
    {
        using var response = await CallAsync(client, operation, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{operation}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["State:Directory"] = state.Directory,
            ["Plugins:TrustedKeyFiles:0"] = state.Packages.WriteTrustedKeyFile(),
            ["Plugins:DrainTimeout"] = "00:00:30",
            ["Agents:nlps.chatbot:minBm25Score"] = "1.5",
            ["Agents:nlps.chatbot:queryPrefix"] = "query: ",
            ["Agents:nlps.chatbot:passagePrefix"] = "passage: ",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()));
        if (models is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<IModelRoleProvider>(models));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}

/// <summary>A state folder that outlives one appliance instance (for restart tests).</summary>
internal sealed class StateFolder : IDisposable
{
    private readonly TempFolder folder = new("nlps-chatbot");

    public StateFolder() => Packages = new PackageFactory(folder.Path);

    public string Directory => folder.Combine("state");

    public PackageFactory Packages { get; }

    public void Dispose() => folder.Dispose();
}
