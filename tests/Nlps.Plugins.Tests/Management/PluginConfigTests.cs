using System.Text.Json;
using Nlps.Plugins.Runtime;
using Nlps.Testing;

namespace Nlps.Plugins.Tests.Management;

public sealed class PluginConfigTests
{
    [Fact]
    public async Task A_saved_configuration_replaces_the_file_section_and_is_used_again_after_a_restart()
    {
        await using var bed = new PluginHostTestBed(configuration: new Dictionary<string, string?> { ["Agents:test.echo:greeting"] = "파일" });
        var manager = await bed.StartManagerAsync();
        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo() with { ConfigSchema = TestPlugins.EchoConfigSchema }), CancellationToken.None);
        Assert.Equal("파일", await GreetingAsync(manager));

        var change = await manager.SetConfigAsync("test.echo", JsonElement.Parse("""{"greeting":"저장됨"}"""), CancellationToken.None);

        Assert.Empty(change.Errors);
        Assert.Equal(PluginState.Running, change.Status!.State);
        Assert.Equal("저장됨", await GreetingAsync(manager));
        await manager.StopAsync(CancellationToken.None);

        var restarted = await bed.StartManagerAsync();
        Assert.Equal("저장됨", await GreetingAsync(restarted));
        var view = await restarted.GetConfigAsync("test.echo", CancellationToken.None);
        Assert.Equal("saved", view.Source);
    }

    [Fact]
    public async Task A_disabled_plugin_keeps_its_new_configuration_for_when_it_is_enabled()
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo() with { ConfigSchema = TestPlugins.EchoConfigSchema }), CancellationToken.None);
        await manager.DisableAsync("test.echo", CancellationToken.None);

        var change = await manager.SetConfigAsync("test.echo", JsonElement.Parse("""{"greeting":"나중에"}"""), CancellationToken.None);

        Assert.Equal(PluginState.Disabled, change.Status!.State);
        await manager.EnableAsync("test.echo", CancellationToken.None);
        Assert.Equal("나중에", await GreetingAsync(manager));
    }

    [Fact]
    public async Task Uninstalling_with_purge_forgets_the_saved_configuration_and_a_plain_uninstall_keeps_it()
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        var package = await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo() with { ConfigSchema = TestPlugins.EchoConfigSchema });
        await manager.InstallAsync(package, CancellationToken.None);
        await manager.SetConfigAsync("test.echo", JsonElement.Parse("""{"greeting":"남김"}"""), CancellationToken.None);

        await manager.UninstallAsync("test.echo", purge: false, CancellationToken.None);
        await manager.InstallAsync(package, CancellationToken.None);
        Assert.Equal("남김", await GreetingAsync(manager));

        await manager.UninstallAsync("test.echo", purge: true, CancellationToken.None);
        await manager.InstallAsync(package, CancellationToken.None);
        Assert.Equal("hello", await GreetingAsync(manager));
        Assert.Equal("file", (await manager.GetConfigAsync("test.echo", CancellationToken.None)).Source);
    }

    private static async Task<string?> GreetingAsync(Nlps.Plugins.Management.PluginManager manager)
    {
        using var json = JsonDocument.Parse(await PluginHostTestBed.InvokeAsync(manager, "test.echo", "echo", """{"text":"x"}"""));
        return json.RootElement.GetProperty("greeting").GetString();
    }
}
