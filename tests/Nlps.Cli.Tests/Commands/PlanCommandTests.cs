using System.Text.Json;
using Nlps.Cli.Client;
using Nlps.Cli.Commands;
using Nlps.Cli.Output;

namespace Nlps.Cli.Tests.Commands;

public sealed class PlanCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nlps-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Yaml_plan_files_become_the_api_json_with_numbers_booleans_and_quoted_strings_kept_apart()
    {
        string path = Path.Combine(_folder, "plan.yaml");
        File.WriteAllText(path, """
            includeCpu: false
            deployments:
              - id: 번역
                model: "8192"
                maxContext: 8_192
                maxSequences: 4
                quantization: int4
                allowedDevices: [gpu0, gpu1]
                pinned: true
            """);

        using JsonDocument json = JsonDocument.Parse(PlanCommand.ReadPlanFile(new FileInfo(path)));

        JsonElement deployment = json.RootElement.GetProperty("deployments")[0];
        Assert.False(json.RootElement.GetProperty("includeCpu").GetBoolean());
        Assert.Equal("번역", deployment.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.String, deployment.GetProperty("model").ValueKind);
        Assert.Equal(8192, deployment.GetProperty("maxContext").GetInt32());
        Assert.True(deployment.GetProperty("pinned").GetBoolean());
        Assert.Equal(["gpu0", "gpu1"], deployment.GetProperty("allowedDevices").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("번역", PlanCommand.ReadPlanFile(new FileInfo(path)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_yaml_file_is_refused_with_its_line()
    {
        string path = Path.Combine(_folder, "plan.yml");
        File.WriteAllText(path, "deployments:\n  - id: a\n   bad: [\n");

        var ex = Assert.Throws<AdminApiException>(() => PlanCommand.ReadPlanFile(new FileInfo(path)));

        Assert.Equal("invalid_plan_file", ex.Code);
        Assert.Contains("line", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusals_print_the_message_and_every_suggested_change_and_a_simulated_box_says_so()
    {
        using JsonDocument body = JsonDocument.Parse("""
            {"simulated": true, "simulatedFrom": "/boxes/l40s-4x",
             "outcomes": [
               {"deploymentId": "chat", "placement": {"devices": ["gpu0"], "tensorParallel": 1, "perDevice": {"weightBytes": 16060522496, "kvCacheBytes": 1073741824, "workspaceBytes": 2684354560, "totalBytes": 19818618880}, "kvTokensReserved": 8192, "kvTokensCapacity": 150000}},
               {"deploymentId": "big", "refusal": {"reason": "DoesNotFit", "message": "big needs 133.9 GiB per GPU at tensor parallel 1", "suggestions": [{"kind": "LargerTensorParallel", "change": "allow tensor parallelism 4", "value": 4}]}}
             ],
             "devices": [{"deviceId": "gpu0", "availableBytes": 47677849600, "reserveBytes": 1073741824, "plannedBytes": 19818618880, "remainingBytes": 26785488896}]}
            """);
        var output = new StringWriter();

        PlanCommand.Render(output, body.RootElement);

        string text = output.ToString();
        Assert.StartsWith("SIMULATED: planned on recorded box /boxes/l40s-4x", text, StringComparison.Ordinal);
        Assert.Contains("REFUSED", text, StringComparison.Ordinal);
        Assert.Contains("big: big needs 133.9 GiB per GPU at tensor parallel 1", text, StringComparison.Ordinal);
        Assert.Contains("  try: allow tensor parallelism 4", text, StringComparison.Ordinal);
        Assert.Contains("8192 / 150000", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Byte_sizes_use_binary_units()
    {
        Assert.Equal("15.0 GiB", ByteSize.Format(16_060_522_496));
        Assert.Equal("80.0 MiB", ByteSize.Format(80L << 20));
        Assert.Equal("512 B", ByteSize.Format(512));
    }
}
