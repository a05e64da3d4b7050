using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Api.Tests.Support;
using Nlps.Models.Deployments;

namespace Nlps.Api.Tests.OpenAi;

/// <summary>An operator's load / unload / pin / unpin on a deployment through the admin API, as the console and nlpsctl use it.</summary>
public sealed class DeploymentControlApiTests
{
    [Fact]
    public async Task Load_makes_it_resident_and_unload_frees_it_and_both_are_audited()
    {
        await using var served = await ServedModel.StartAsync();
        using var client = served.Appliance.CreateAdminClient();

        JsonElement loaded = await PostOkAsync(client, "/v1/admin/deployments/tiny/load");
        Assert.Equal(("Resident", 1), (loaded.GetProperty("state").GetString(), loaded.GetProperty("loads").GetInt32()));

        JsonElement unloaded = await PostOkAsync(client, "/v1/admin/deployments/tiny/unload");
        Assert.Equal("Unloaded", unloaded.GetProperty("state").GetString());
        JsonElement status = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/deployments"));
        Assert.Equal(0, status.GetProperty("devices")[0].GetProperty("heldBytes").GetInt64());
        Assert.Contains(status.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "unloaded_by_operator");

        JsonElement audit = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/audit?limit=2"));
        Assert.Equal(["deployment.unload", "deployment.load"], audit.EnumerateArray().Select(r => r.GetProperty("action").GetString()));
        Assert.All(audit.EnumerateArray(), r => Assert.Equal(("Ok", "tiny"), (r.GetProperty("result").GetString(), r.GetProperty("target").GetString())));
    }

    [Fact]
    public async Task A_pinned_deployment_is_loaded_and_refuses_unload_with_409_until_unpinned()
    {
        await using var served = await ServedModel.StartAsync();
        using var client = served.Appliance.CreateAdminClient();

        JsonElement pinned = await PostOkAsync(client, "/v1/admin/deployments/tiny/pin");
        Assert.Equal(("Resident", true), (pinned.GetProperty("state").GetString(), pinned.GetProperty("pinned").GetBoolean()));

        using (var refused = await client.PostAsync("/v1/admin/deployments/tiny/unload", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("deployment_pinned", (await TestAppliance.ReadJsonAsync(refused)).GetProperty("code").GetString());
        }

        JsonElement unpinned = await PostOkAsync(client, "/v1/admin/deployments/tiny/unpin");
        Assert.False(unpinned.GetProperty("pinned").GetBoolean());
        Assert.Equal("Unloaded", (await PostOkAsync(client, "/v1/admin/deployments/tiny/unload")).GetProperty("state").GetString());
        JsonElement[] unloads = (await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/audit?limit=2&action=deployment.unload"))).EnumerateArray().ToArray();
        Assert.Equal(["Ok", "Refused"], unloads.Select(r => r.GetProperty("result").GetString()));
        Assert.StartsWith("deployment_pinned", unloads[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deployment_serving_a_request_refuses_unload_as_busy()
    {
        await using var served = await ServedModel.StartAsync();
        using var client = served.Appliance.CreateAdminClient();
        using var lease = await served.Appliance.Services.GetRequiredService<ModelDeployments>().AcquireAsync("tiny", CancellationToken.None);

        using var refused = await client.PostAsync("/v1/admin/deployments/tiny/unload", null);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("deployment_busy", (await TestAppliance.ReadJsonAsync(refused)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("load")]
    [InlineData("unload")]
    [InlineData("pin")]
    [InlineData("unpin")]
    public async Task An_unknown_deployment_is_404_for_every_action(string action)
    {
        await using var served = await ServedModel.StartAsync();
        using var client = served.Appliance.CreateAdminClient();

        using var response = await client.PostAsync($"/v1/admin/deployments/nope/{action}", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("deployment_unknown", (await TestAppliance.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    private static async Task<JsonElement> PostOkAsync(HttpClient client, string path)
    {
        using var response = await client.PostAsync(path, null);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
