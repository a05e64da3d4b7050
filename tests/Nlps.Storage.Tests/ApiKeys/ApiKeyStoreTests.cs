using Nlps.Storage.ApiKeys;
using Nlps.Storage.Tests.Support;

namespace Nlps.Storage.Tests.ApiKeys;

public sealed class ApiKeyStoreTests : IDisposable
{
    private readonly TemporaryDatabase temporary = new();

    public void Dispose() => temporary.Dispose();

    private ApiKeyStore Store => new(temporary.Database);

    private static ApiKeyRecord Key(string id, DateTimeOffset at, DateTimeOffset? expires = null) =>
        new(id, "번역 클라이언트", [0x01, 0x02, 0xFF], ["fin.translator/translate", "metrics"], 30, at, "admin-token", expires, null, null);

    [Fact]
    public async Task A_key_round_trips_with_its_hash_scopes_limit_and_korean_name()
    {
        var at = new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
        await Store.AddAsync(Key("0123456789ab", at, at.AddDays(30)));

        var found = await Store.FindAsync("0123456789ab");

        Assert.NotNull(found);
        Assert.Equal("번역 클라이언트", found.Name);
        Assert.Equal(new byte[] { 0x01, 0x02, 0xFF }, found.SecretSha256);
        Assert.Equal(["fin.translator/translate", "metrics"], found.Scopes);
        Assert.Equal(30, found.RequestsPerMinute);
        Assert.Equal(at.AddDays(30), found.ExpiresAt);
        Assert.Null(found.RevokedAt);
    }

    [Fact]
    public async Task Revoking_marks_the_key_once_and_keeps_it_listed()
    {
        var at = new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
        await Store.AddAsync(Key("0123456789ab", at));

        Assert.True(await Store.RevokeAsync("0123456789ab", at.AddHours(1)));
        Assert.False(await Store.RevokeAsync("0123456789ab", at.AddHours(2)));
        Assert.False(await Store.RevokeAsync("ffffffffffff", at));

        var listed = Assert.Single(await Store.ListAsync());
        Assert.Equal(at.AddHours(1), listed.RevokedAt);
    }

    [Fact]
    public async Task A_second_key_with_an_existing_id_is_refused_and_the_first_is_unchanged()
    {
        var at = new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
        await Store.AddAsync(Key("0123456789ab", at));

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => Store.AddAsync(Key("0123456789ab", at) with { Name = "other" }));

        Assert.Equal("번역 클라이언트", (await Store.FindAsync("0123456789ab"))!.Name);
    }

    [Fact]
    public async Task A_scope_with_white_space_is_refused_before_it_reaches_the_database()
    {
        var at = new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.AddAsync(Key("0123456789ab", at) with { Scopes = ["a b"] }));

        Assert.Empty(await Store.ListAsync());
    }
}
