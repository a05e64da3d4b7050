using System.Text.Json;
using Nlps.Sdk.Manifest;

namespace Nlps.Sdk.Tests.Templates;

public sealed class AgentTemplateTests
{
    [Fact]
    public void The_agent_template_builds_against_the_sdk_version_it_ships_with()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "NlpsAppliance.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("repository root not found");
        }

        using var template = JsonDocument.Parse(File.ReadAllText(Path.Combine(root.FullName, "sdk", "Nlps.Sdk.Templates", "content", "agent", ".template.config", "template.json")));

        var defaultSdk = template.RootElement.GetProperty("symbols").GetProperty("sdkVersion").GetProperty("defaultValue").GetString();
        Assert.Equal(SdkCompatibility.Current.ToString(), defaultSdk);
    }
}
