using Nlps.Storage.Settings;
using Nlps.Storage.Tests.Support;

namespace Nlps.Storage.Tests.Settings;

public sealed class SettingsStoreTests : IDisposable
{
    private readonly TemporaryDatabase temporary = new();
    private readonly SettingsStore settings;

    public SettingsStoreTests() => settings = new SettingsStore(temporary.Database, temporary.Time);

    public void Dispose() => temporary.Dispose();

    [Fact]
    public async Task A_setting_that_was_never_set_reads_as_null()
    {
        Assert.Null(await settings.GetAsync("console.theme"));
    }

    [Fact]
    public async Task A_set_value_reads_back_including_korean_text()
    {
        await settings.SetAsync("appliance.name", "여의도 번역 서버");

        Assert.Equal("여의도 번역 서버", await settings.GetAsync("appliance.name"));
    }

    [Fact]
    public async Task A_deleted_setting_reads_as_null_and_deleting_an_absent_one_is_harmless()
    {
        await settings.SetAsync("plugin-config:test.echo", "{}");
        await settings.SetAsync("language", "ko");

        await settings.DeleteAsync("plugin-config:test.echo");
        await settings.DeleteAsync("never-set");

        Assert.Null(await settings.GetAsync("plugin-config:test.echo"));
        Assert.Equal("ko", await settings.GetAsync("language"));
    }

    [Fact]
    public async Task Setting_again_replaces_the_value_and_stamps_the_new_time()
    {
        await settings.SetAsync("limits.rps", "10");
        temporary.Time.Advance(TimeSpan.FromMinutes(5));
        await settings.SetAsync("limits.rps", "20");

        Assert.Equal("20", await settings.GetAsync("limits.rps"));
        using var connection = temporary.Database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT updated_at FROM settings WHERE key = 'limits.rps'";
        Assert.Equal("2025-03-14T09:31:53.0000000Z", command.ExecuteScalar());
    }

    [Fact]
    public async Task Settings_survive_reopening_the_database()
    {
        await settings.SetAsync("telemetry", "off");
        temporary.CloseAll();

        using var reopened = temporary.Open();
        Assert.Equal("off", await new SettingsStore(reopened, temporary.Time).GetAsync("telemetry"));
    }

    [Fact]
    public async Task An_empty_key_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => settings.SetAsync("", "x"));
    }
}
