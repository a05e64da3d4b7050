using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Plugins.Runtime;
using Nlps.Testing;

namespace Nlps.Agents.EndToEnd.Tests.Support;

/// <summary>
/// nlpsd in process (TestServer) over a real state folder and SQLite database, trusting the test vendor key; the same
/// pattern as tests/Nlps.Api.Tests/Support/TestAppliance.cs. With <paramref name="models"/> the appliance's model roles
/// are served by test doubles (no engine is wired yet); without it they answer model_unavailable as on a box with no
/// model deployed. With <paramref name="state"/> (owned by the caller) a second instance over the same folder is a
/// restart of nlpsd.
/// </summary>
internal sealed class AgentAppliance(IModelRoleProvider? models = null, IDictionary<string, string?>? overrides = null, TempFolder? state = null) : WebApplicationFactory<Program>
{
    private readonly TempFolder folder = state ?? new("nlps-agents");

    /// <summary>A client with the administrator token.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(folder.Combine("state"), "admin.token")).Trim());
        return client;
    }

    public async Task<HttpClient> InstallAsync(string project)
    {
        var client = CreateAdminClient();
        var package = await new PackageFactory(folder.Path).BuildFirstPartyAsync(project);
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(package));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync("/v1/admin/plugins", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var agents = await client.GetStringAsync(new Uri("/v1/agents", UriKind.Relative));
        Assert.True(agents.Contains("\"Running\"", StringComparison.Ordinal), agents);
        return client;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(HttpClient client, string agent, string operation, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return await SendAsync(client, $"/v1/agents/{agent}/{operation}", content);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> CallRawAsync(HttpClient client, string agent, string operation, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await SendAsync(client, $"/v1/agents/{agent}/{operation}", content);
    }

    public static async Task<string> StreamAsync(HttpClient client, string agent, string operation, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/v1/agents/{agent}/{operation}", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(Settings()));
        if (models is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<IModelRoleProvider>(models));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (state is null)
        {
            folder.Dispose();
        }
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["State:Directory"] = folder.Combine("state"),
            ["Plugins:TrustedKeyFiles:0"] = new PackageFactory(folder.Path).WriteTrustedKeyFile(),
            ["Plugins:DrainTimeout"] = "00:00:30",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    private static async Task<(HttpStatusCode, JsonElement)> SendAsync(HttpClient client, string path, HttpContent content)
    {
        using var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body);
    }
}

/// <summary>Serves every declared role with the given test doubles (no engine is wired into the appliance yet).</summary>
internal sealed class TestModelRoles(IChatClient? chat, IEmbeddingGenerator<string, Embedding<float>>? embed) : IModelRoleProvider
{
    public IChatClient? GetChatClient(string agentId, string role, out string reason)
    {
        reason = "no test chat model";
        return chat;
    }

    public IEmbeddingGenerator<string, Embedding<float>>? GetEmbeddingGenerator(string agentId, string role, out string reason)
    {
        reason = "no test embedding model";
        return embed;
    }
}
