using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Nlps.Testing;

namespace Nlps.Agents.Analysis.Tests.Support;

/// <summary>nlpsd in process over a real state folder (the Nlps.Api.Tests TestAppliance pattern); no models are deployed.</summary>
internal sealed class AnalysisAppliance(string stateDirectory, PackageFactory packages) : WebApplicationFactory<Program>
{
    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        _ = Services;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(stateDirectory, "admin.token")).Trim());
        return client;
    }

    public async Task InstallAsync(HttpClient client)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(await packages.BuildFirstPartyAsync("Nlps.Agents.Analysis")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync("/v1/admin/plugins", content);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public static async Task<(int Status, JsonElement Body)> CallAsync(HttpClient client, string operation, object body)
    {
        using var response = await client.PostAsync($"/v1/agents/nlps.analysis/{operation}", new StringContent(JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web)), Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["State:Directory"] = stateDirectory,
            ["Plugins:TrustedKeyFiles:0"] = packages.WriteTrustedKeyFile(),
            ["Plugins:DrainTimeout"] = "00:00:30",
        }));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
