using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nlps.Hardware.Snapshot;
using Nlps.Models.Planning;
using Nlps.Api.Tests.Support;
using Nlps.Testing;

namespace Nlps.Api.Tests.Models;

public sealed class AdminModelApiTests
{
    private static string Box(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static Dictionary<string, string?> SimulatedBox(string name) => new() { ["Hardware:SimulatedBoxFolder"] = Box(name) };

    [Fact]
    public async Task Hardware_of_a_recorded_box_is_served_and_clearly_marked_simulated()
    {
        await using var appliance = new TestAppliance(SimulatedBox("l40s-4x"));
        using var client = appliance.CreateAdminClient();

        using var response = await client.GetAsync("/v1/admin/hardware?refresh=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await TestAppliance.ReadJsonAsync(response);
        Assert.True(body.GetProperty("simulated").GetBoolean());
        Assert.Equal(Box("l40s-4x"), body.GetProperty("simulatedFrom").GetString());
        JsonElement gpus = body.GetProperty("gpus").GetProperty("devices");
        Assert.Equal(4, gpus.GetArrayLength());
        Assert.All(gpus.EnumerateArray(), g => Assert.Contains("L40S", g.GetProperty("name").GetString(), StringComparison.Ordinal));
        Assert.Equal("NvidiaSmi", body.GetProperty("gpus").GetProperty("source").GetString());
        Assert.True(body.GetProperty("cpu").GetProperty("threads").GetInt32() > 0);
    }

    // Starting a host whose options fail is not observable reliably through WebApplicationFactory (its start and
    // dispose race); this checks that nlpsd's own container validates the Hardware section and the Planner section.
    [Fact]
    public async Task Nlpsd_validates_the_hardware_and_planner_sections_naming_the_key()
    {
        await using var appliance = new TestAppliance(SimulatedBox("h100-1x"));
        using var missing = new TempFolder("no-box");

        var hardware = appliance.Services.GetServices<IValidateOptions<HardwareOptions>>()
            .Select(v => v.Validate(null, new HardwareOptions { SimulatedBoxFolder = missing.Path })).Single(r => r.Failed);
        var planner = appliance.Services.GetServices<IValidateOptions<PlannerOptions>>()
            .Select(v => v.Validate(null, new PlannerOptions { GpuReserveBytes = -1 })).Single(r => r.Failed);

        Assert.Contains("Hardware:SimulatedBoxFolder", hardware.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Planner:GpuReserveBytes", planner.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_places_llama_70b_at_tensor_parallel_4_on_four_l40s_and_refuses_without_tp_stating_bytes_and_the_fix()
    {
        await using var appliance = new TestAppliance(SimulatedBox("l40s-4x"));
        using var client = appliance.CreateAdminClient();
        string config70B = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Configs", "llama-3.1-70b-instruct.json"));
        string request = $$"""
            {"deployments": [
              {"id": "big", "config": {{config70B}}, "maxContext": 8192, "maxSequences": 2}
            ]}
            """;
        string alone = $$"""
            {"deployments": [
              {"id": "single", "config": {{config70B}}, "maxContext": 8192, "maxSequences": 2, "allowTensorParallel": false, "quantization": "bf16"}
            ]}
            """;

        using var response = await client.PostAsync("/v1/admin/plan", TestAppliance.Json(request));
        using var refused = await client.PostAsync("/v1/admin/plan", TestAppliance.Json(alone));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await TestAppliance.ReadJsonAsync(response);
        Assert.True(body.GetProperty("simulated").GetBoolean());
        JsonElement big = body.GetProperty("outcomes")[0];
        Assert.Equal(4, big.GetProperty("placement").GetProperty("tensorParallel").GetInt32());
        Assert.True(big.GetProperty("placement").GetProperty("kvTokensCapacity").GetInt64() >= 16_384);
        Assert.True(big.GetProperty("placement").GetProperty("perDevice").GetProperty("weightBytes").GetInt64() > 30L << 30);
        JsonElement single = (await TestAppliance.ReadJsonAsync(refused)).GetProperty("outcomes")[0];
        Assert.False(single.TryGetProperty("placement", out _));
        JsonElement refusal = single.GetProperty("refusal");
        Assert.Equal("DoesNotFit", refusal.GetProperty("reason").GetString());
        Assert.True(refusal.GetProperty("shortfalls")[0].GetProperty("shortfallBytes").GetInt64() > 0);
        Assert.Contains(refusal.GetProperty("suggestions").EnumerateArray(), s => s.GetProperty("kind").GetString() == "LargerTensorParallel" && s.GetProperty("value").GetInt32() == 4);
    }

    [Fact]
    public async Task Plan_refuses_a_malformed_request_with_a_problem()
    {
        await using var appliance = new TestAppliance(SimulatedBox("h100-1x"));
        using var client = appliance.CreateAdminClient();

        using var empty = await client.PostAsync("/v1/admin/plan", TestAppliance.Json("""{"deployments": []}"""));
        using var unknownQuant = await client.PostAsync("/v1/admin/plan", TestAppliance.Json("""{"deployments": [{"id": "x", "model": "m", "maxContext": 1, "maxSequences": 1, "quantization": "int3"}]}"""));
        using var missingModel = await client.PostAsync("/v1/admin/plan", TestAppliance.Json("""{"deployments": [{"id": "x", "model": "not-here", "maxContext": 1, "maxSequences": 1}]}"""));

        Assert.Equal("invalid_plan_request", await CodeAsync(empty, HttpStatusCode.BadRequest));
        Assert.Equal("invalid_plan_request", await CodeAsync(unknownQuant, HttpStatusCode.BadRequest));
        Assert.Equal("model_not_found", await CodeAsync(missingModel, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Import_runs_as_a_job_then_the_model_is_listed_planned_verified_and_removed()
    {
        await using var appliance = new TestAppliance(SimulatedBox("h100-1x"));
        using var client = appliance.CreateAdminClient();
        using var source = new TempFolder("hf");
        string folder = HfFolder.Write(Path.Combine(source.Path, "tiny-llama"));

        using var started = await client.PostAsync("/v1/admin/models/import", TestAppliance.Json(JsonSerializer.Serialize(new { path = folder })));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        JsonElement job = await WaitForJobAsync(client, (await TestAppliance.ReadJsonAsync(started)).GetProperty("id").GetString()!);
        Assert.Equal("Succeeded", job.GetProperty("state").GetString());
        Assert.Equal(job.GetProperty("bytesTotal").GetInt64(), job.GetProperty("bytesDone").GetInt64());

        JsonElement list = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/models"));
        Assert.Equal("tiny-llama", list[0].GetProperty("id").GetString());
        Assert.Equal("chat", list[0].GetProperty("task").GetString());
        JsonElement manifest = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/models/tiny-llama"));
        Assert.Equal(64, manifest.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "model.safetensors").GetProperty("sha256").GetString()!.Length);

        using var plan = await client.PostAsync("/v1/admin/plan", TestAppliance.Json("""{"deployments": [{"id": "chat", "model": "tiny-llama", "maxContext": 2048, "maxSequences": 4}]}"""));
        JsonElement placement = (await TestAppliance.ReadJsonAsync(plan)).GetProperty("outcomes")[0].GetProperty("placement");
        Assert.Equal(32768, placement.GetProperty("perDevice").GetProperty("weightBytes").GetInt64());

        using var verify = await client.PostAsync("/v1/admin/models/tiny-llama/verify", null);
        JsonElement verified = await WaitForJobAsync(client, (await TestAppliance.ReadJsonAsync(verify)).GetProperty("id").GetString()!);
        Assert.True(verified.GetProperty("verification").GetProperty("ok").GetBoolean());

        using var removed = await client.DeleteAsync("/v1/admin/models/tiny-llama");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(0, (await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/models"))).GetArrayLength());
        Assert.False(Directory.Exists(Path.Combine(appliance.StateDirectory, "models", "tiny-llama")));
        JsonElement audit = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/audit"));
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "model.import");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "model.remove");
    }

    [Fact]
    public async Task Bad_imports_are_refused_at_once_or_fail_as_a_job_and_leave_no_model()
    {
        await using var appliance = new TestAppliance(SimulatedBox("h100-1x"));
        using var client = appliance.CreateAdminClient();
        using var source = new TempFolder("hf");
        string noConfig = HfFolder.Write(Path.Combine(source.Path, "no-config"));
        File.Delete(Path.Combine(noConfig, "config.json"));
        string truncated = HfFolder.Write(Path.Combine(source.Path, "truncated"));
        using (FileStream weights = File.Open(Path.Combine(truncated, "model.safetensors"), FileMode.Open))
        {
            weights.SetLength(weights.Length - 10);
        }

        using var relative = await client.PostAsync("/v1/admin/models/import", TestAppliance.Json("""{"path": "models/x"}"""));
        using var missing = await client.PostAsync("/v1/admin/models/import", TestAppliance.Json(JsonSerializer.Serialize(new { path = noConfig })));
        using var escaping = await client.PostAsync("/v1/admin/models/import", TestAppliance.Json(JsonSerializer.Serialize(new { path = truncated, id = "../../etc" })));
        using var started = await client.PostAsync("/v1/admin/models/import", TestAppliance.Json(JsonSerializer.Serialize(new { path = truncated })));

        Assert.Equal("invalid_import_request", await CodeAsync(relative, HttpStatusCode.BadRequest));
        Assert.Equal("config_missing", await CodeAsync(missing, HttpStatusCode.UnprocessableEntity));
        Assert.Equal("invalid_model_id", await CodeAsync(escaping, HttpStatusCode.UnprocessableEntity));
        JsonElement job = await WaitForJobAsync(client, (await TestAppliance.ReadJsonAsync(started)).GetProperty("id").GetString()!);
        Assert.Equal(("Failed", "invalid_weights"), (job.GetProperty("state").GetString(), job.GetProperty("errorCode").GetString()));
        Assert.Contains("model.safetensors", job.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/models"))).GetArrayLength());
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Path.Combine(appliance.StateDirectory, "models")), e => !Path.GetFileName(e).StartsWith('.'));
    }

    internal static async Task<JsonElement> WaitForJobAsync(HttpClient client, string jobId)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            JsonElement job = await TestAppliance.ReadJsonAsync(await client.GetAsync($"/v1/admin/models/jobs/{jobId}?waitSeconds=10"));
            if (job.GetProperty("state").GetString() != "Running")
            {
                return job;
            }
        }

        throw new TimeoutException($"job {jobId} still running");
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        return (await TestAppliance.ReadJsonAsync(response)).GetProperty("code").GetString();
    }
}
