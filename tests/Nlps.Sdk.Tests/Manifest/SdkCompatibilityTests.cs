using Nlps.Sdk.Manifest;

namespace Nlps.Sdk.Tests.Manifest;

public sealed class SdkCompatibilityTests
{
    [Theory]
    [InlineData("1.0.0", "1.3.0")]
    [InlineData("1.3.0", "1.3.0")]
    [InlineData("1.3.7", "1.3.0")]
    [InlineData("1.0.0", "1.0.0")]
    public void Plugin_built_against_the_same_major_and_an_older_or_equal_minor_loads(string plugin, string host)
    {
        Assert.True(SdkCompatibility.IsCompatible(SemanticVersion.Parse(plugin), SemanticVersion.Parse(host), out var reason));
        Assert.Equal(string.Empty, reason);
    }

    [Fact]
    public void Plugin_built_against_a_newer_minor_is_refused_with_a_reason_to_upgrade()
    {
        Assert.False(SdkCompatibility.IsCompatible(SemanticVersion.Parse("1.4.0"), SemanticVersion.Parse("1.3.0"), out var reason));
        Assert.Contains("1.4.0", reason, StringComparison.Ordinal);
        Assert.Contains("upgrade the appliance", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.0.0", "1.3.0")]
    [InlineData("0.9.0", "1.3.0")]
    [InlineData("1.0.0", "2.0.0")]
    public void Plugin_built_against_another_major_is_refused_naming_both_majors(string plugin, string host)
    {
        var pluginSdk = SemanticVersion.Parse(plugin);
        var hostSdk = SemanticVersion.Parse(host);

        Assert.False(SdkCompatibility.IsCompatible(pluginSdk, hostSdk, out var reason));
        Assert.Contains($"major {pluginSdk.Major}", reason, StringComparison.Ordinal);
        Assert.Contains($"major {hostSdk.Major}", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Current_is_the_sdk_assembly_version_without_build_metadata()
    {
        Assert.Equal(1, SdkCompatibility.Current.Major);
        Assert.DoesNotContain("+", SdkCompatibility.Current.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sdk_1_2_adds_agent_calls_after_1_1s_stores_and_still_loads_plugins_built_against_1_0_and_1_1()
    {
        Assert.Equal(SemanticVersion.Parse("1.2.0"), SdkCompatibility.Current);
        Assert.NotNull(typeof(Nlps.Sdk.Agents.IAgentContext).GetProperty("Documents"));
        Assert.NotNull(typeof(Nlps.Sdk.Agents.IAgentContext).GetProperty("Vectors"));
        Assert.NotNull(typeof(Nlps.Sdk.Agents.IAgentContext).GetMethod("CallAgentAsync"));
        Assert.True(SdkCompatibility.IsCompatible(SemanticVersion.Parse("1.0.0"), SdkCompatibility.Current, out _));
        Assert.True(SdkCompatibility.IsCompatible(SemanticVersion.Parse("1.1.0"), SdkCompatibility.Current, out _));
        Assert.Equal(new Version(1, 0, 0, 0), typeof(SdkCompatibility).Assembly.GetName().Version);
    }
}
