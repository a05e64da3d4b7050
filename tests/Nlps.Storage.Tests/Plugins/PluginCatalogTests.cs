using Nlps.Storage.Plugins;
using Nlps.Storage.Tests.Support;

namespace Nlps.Storage.Tests.Plugins;

public sealed class PluginCatalogTests : IDisposable
{
    private readonly TemporaryDatabase temporary = new();
    private readonly PluginCatalog catalog;

    public PluginCatalogTests() => catalog = new PluginCatalog(temporary.Database, temporary.Time);

    public void Dispose() => temporary.Dispose();

    [Fact]
    public async Task Adding_an_activated_version_creates_an_enabled_plugin_with_it_active()
    {
        var version = Version("ko-en-translator", "1.0.0");

        await catalog.AddVersionAsync(version, activate: true);

        var plugin = await catalog.GetAsync("ko-en-translator");
        Assert.NotNull(plugin);
        Assert.Equal("1.0.0", plugin.ActiveVersion);
        Assert.True(plugin.Enabled);
        Assert.Equal(temporary.Time.GetUtcNow(), plugin.UpdatedAt);
        Assert.Equal(version, Assert.Single(plugin.Versions));
    }

    [Fact]
    public async Task Adding_without_activation_leaves_the_active_version_as_it_was()
    {
        await catalog.AddVersionAsync(Version("rag-chat", "1.0.0"), activate: true);
        await catalog.AddVersionAsync(Version("rag-chat", "1.1.0"), activate: false);
        await catalog.AddVersionAsync(Version("keyword-graph", "0.1.0"), activate: false);

        Assert.Equal("1.0.0", (await catalog.GetAsync("rag-chat"))!.ActiveVersion);
        Assert.Null((await catalog.GetAsync("keyword-graph"))!.ActiveVersion);
    }

    [Fact]
    public async Task Versions_are_listed_in_install_order_and_plugins_by_id()
    {
        await catalog.AddVersionAsync(Version("rag-chat", "2.0.0", installedMinutesAgo: 10), activate: false);
        await catalog.AddVersionAsync(Version("rag-chat", "10.0.0", installedMinutesAgo: 5), activate: false);
        await catalog.AddVersionAsync(Version("analysis", "1.0.0"), activate: false);

        var all = await catalog.GetAllAsync();

        Assert.Equal(["analysis", "rag-chat"], all.Select(p => p.Id));
        Assert.Equal(["2.0.0", "10.0.0"], all[1].Versions.Select(v => v.Version));
    }

    [Fact]
    public async Task A_duplicate_version_is_refused_with_its_own_exception_and_changes_nothing()
    {
        await catalog.AddVersionAsync(Version("rag-chat", "1.0.0"), activate: true);
        await catalog.AddVersionAsync(Version("rag-chat", "1.1.0"), activate: false);

        var duplicate = Version("rag-chat", "1.1.0") with { Path = "/elsewhere" };
        var refusal = await Assert.ThrowsAsync<DuplicatePluginVersionException>(() => catalog.AddVersionAsync(duplicate, activate: true));

        Assert.Equal("rag-chat", refusal.PluginId);
        Assert.Equal("1.1.0", refusal.Version);
        var plugin = (await catalog.GetAsync("rag-chat"))!;
        Assert.Equal("1.0.0", plugin.ActiveVersion);
        Assert.Equal("/var/lib/nlps/plugins/rag-chat/1.1.0", plugin.Versions.Single(v => v.Version == "1.1.0").Path);
    }

    [Fact]
    public async Task Setting_the_active_version_switches_it_and_null_leaves_none_active()
    {
        await catalog.AddVersionAsync(Version("rag-chat", "1.0.0"), activate: true);
        await catalog.AddVersionAsync(Version("rag-chat", "1.1.0"), activate: false);
        temporary.Time.Advance(TimeSpan.FromHours(1));

        await catalog.SetActiveVersionAsync("rag-chat", "1.1.0");
        var switched = (await catalog.GetAsync("rag-chat"))!;
        await catalog.SetActiveVersionAsync("rag-chat", null);

        Assert.Equal("1.1.0", switched.ActiveVersion);
        Assert.Equal(temporary.Time.GetUtcNow(), switched.UpdatedAt);
        Assert.Null((await catalog.GetAsync("rag-chat"))!.ActiveVersion);
    }

    [Fact]
    public async Task Activating_a_version_that_is_not_installed_is_refused()
    {
        await catalog.AddVersionAsync(Version("rag-chat", "1.0.0"), activate: true);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => catalog.SetActiveVersionAsync("rag-chat", "9.9.9"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => catalog.SetActiveVersionAsync("missing", null));
        Assert.Equal("1.0.0", (await catalog.GetAsync("rag-chat"))!.ActiveVersion);
    }

    [Fact]
    public async Task A_plugin_can_be_disabled_and_enabled_again()
    {
        await catalog.AddVersionAsync(Version("analysis", "1.0.0"), activate: true);

        await catalog.SetEnabledAsync("analysis", false);
        var disabled = (await catalog.GetAsync("analysis"))!;
        await catalog.SetEnabledAsync("analysis", true);

        Assert.False(disabled.Enabled);
        Assert.True((await catalog.GetAsync("analysis"))!.Enabled);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => catalog.SetEnabledAsync("missing", true));
    }

    [Fact]
    public async Task Removing_an_inactive_version_forgets_only_that_version()
    {
        await catalog.AddVersionAsync(Version("rag-chat", "1.0.0"), activate: false);
        await catalog.AddVersionAsync(Version("rag-chat", "1.1.0"), activate: true);

        Assert.True(await catalog.RemoveVersionAsync("rag-chat", "1.0.0"));
        Assert.False(await catalog.RemoveVersionAsync("rag-chat", "1.0.0"));

        var plugin = (await catalog.GetAsync("rag-chat"))!;
        Assert.Equal("1.1.0", Assert.Single(plugin.Versions).Version);
    }

    [Fact]
    public async Task Removing_the_active_version_is_refused()
    {
        await catalog.AddVersionAsync(Version("rag-chat", "1.0.0"), activate: true);

        await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.RemoveVersionAsync("rag-chat", "1.0.0"));
        Assert.Single((await catalog.GetAsync("rag-chat"))!.Versions);
    }

    [Fact]
    public async Task Removing_a_plugin_removes_all_its_versions()
    {
        await catalog.AddVersionAsync(Version("rag-chat", "1.0.0"), activate: false);
        await catalog.AddVersionAsync(Version("rag-chat", "1.1.0"), activate: true);
        await catalog.AddVersionAsync(Version("analysis", "1.0.0"), activate: true);

        Assert.True(await catalog.RemovePluginAsync("rag-chat"));
        Assert.False(await catalog.RemovePluginAsync("rag-chat"));

        Assert.Null(await catalog.GetAsync("rag-chat"));
        using var connection = temporary.Database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT plugin_id FROM plugin_versions";
        Assert.Equal("analysis", command.ExecuteScalar());
        Assert.Single(await catalog.GetAllAsync());
    }

    [Fact]
    public async Task A_version_without_a_signer_keeps_it_null_and_survives_reopening()
    {
        var unsigned = Version("dev-agent", "0.0.1") with { SignerKeyId = null };
        await catalog.AddVersionAsync(unsigned, activate: true);
        temporary.CloseAll();

        using var reopened = temporary.Open();
        var plugin = await new PluginCatalog(reopened, temporary.Time).GetAsync("dev-agent");

        Assert.Equal(unsigned, Assert.Single(plugin!.Versions));
    }

    private PluginVersionRecord Version(string pluginId, string version, int installedMinutesAgo = 0) => new(
        pluginId,
        version,
        temporary.Time.GetUtcNow().AddMinutes(-installedMinutesAgo),
        $"/var/lib/nlps/plugins/{pluginId}/{version}",
        $$"""{"id":"{{pluginId}}","version":"{{version}}","description":"한국어 설명"}""",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "vendor-2025");
}
