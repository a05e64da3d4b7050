using System.Text.Json.Nodes;
using Nlps.Cli.Provisioning;
using Nlps.Models.Estimation;
using Nlps.Provisioning.Checking;
using Nlps.Provisioning.Journal;
using Nlps.Provisioning.Profiles;
using Nlps.Testing;

namespace Nlps.Cli.Tests.Provisioning;

public sealed class NlpsdConfigStepTests
{
    private static readonly CustomerProfile Profile = new(
        "p.yaml",
        new CustomerInfo("acme", "에이크미"),
        new HardwareExpectation(null, null, null),
        [new ModelSpec("chat", "models/chat", QuantizationMode.Int8, 2048, 3, true, "any", ["chat"])],
        [new PluginSpec("plugins/t.nlpkg", new JsonObject { ["style"] = "격식체" }, [])],
        [],
        [],
        new AdminSpec("admin"),
        ["keys/k.pem"]);

    private static readonly VerifiedPlugin[] Plugins = [new("plugins/t.nlpkg", "nlps.translator", "0.1.0", "ab", "key")];

    [Fact]
    public async Task Deployments_and_agent_configuration_are_merged_keeping_every_other_key()
    {
        using var work = new TempFolder("nlps-config-");
        string config = work.Combine("nlps.json");
        await File.WriteAllTextAsync(config, """{"State":{"Directory":"/var/lib/nlps"},"Agents":{"nlps.translator":{"keep":1},"other":{"x":2}}}""");

        StepResult result = await new NlpsdConfigStep(config, Profile, Plugins).RunAsync(CancellationToken.None);
        string written = await File.ReadAllTextAsync(config);
        StepResult again = await new NlpsdConfigStep(config, Profile, Plugins).RunAsync(CancellationToken.None);

        JsonNode root = JsonNode.Parse(written)!;
        Assert.Equal("/var/lib/nlps", (string?)root["State"]!["Directory"]);
        Assert.Equal(2, (int)root["Agents"]!["other"]!["x"]!);
        Assert.Equal(1, (int)root["Agents"]!["nlps.translator"]!["keep"]!);
        Assert.Contains("\"style\": \"격식체\"", written, StringComparison.Ordinal);
        JsonNode chat = root["Models"]!["Deployments"]!["chat"]!;
        Assert.Equal(("chat", "int8", 2048, 3, true), ((string)chat["Model"]!, (string)chat["WeightFormat"]!, (int)chat["MaxContext"]!, (int)chat["MaxConcurrency"]!, (bool)chat["Pinned"]!));
        Assert.Contains("written; nlpsd must restart", result.Summary, StringComparison.Ordinal);
        Assert.Contains("already in place", again.Summary, StringComparison.Ordinal);
        Assert.Equal(written, await File.ReadAllTextAsync(config));
    }

    [Fact]
    public async Task A_configuration_that_is_not_json_fails_the_step_naming_the_file()
    {
        using var work = new TempFolder("nlps-config-");
        string config = work.Combine("nlps.json");
        await File.WriteAllTextAsync(config, "State: { broken");

        var error = await Assert.ThrowsAsync<StepFailedException>(() => new NlpsdConfigStep(config, Profile, Plugins).RunAsync(CancellationToken.None));

        Assert.Contains($"cannot read nlpsd's configuration {config}", error.Message, StringComparison.Ordinal);
        Assert.Equal("State: { broken", await File.ReadAllTextAsync(config));
    }
}
