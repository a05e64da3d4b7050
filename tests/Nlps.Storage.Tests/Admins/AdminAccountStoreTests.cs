using Nlps.Storage.Admins;
using Nlps.Storage.Tests.Support;

namespace Nlps.Storage.Tests.Admins;

public sealed class AdminAccountStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private readonly TemporaryDatabase temporary = new();

    public void Dispose() => temporary.Dispose();

    private AdminAccountStore Store => new(temporary.Database);

    private static AdminAccountRecord Account(string username) => new(username, "hash", "stamp", At, "first-run", At, 0, null, null);

    [Fact]
    public async Task The_first_run_insert_succeeds_only_into_an_empty_table_and_names_are_unique()
    {
        Assert.True(await Store.TryAddAsync(Account("관리자"), onlyIfNone: true));
        Assert.False(await Store.TryAddAsync(Account("두번째"), onlyIfNone: true));
        Assert.False(await Store.TryAddAsync(Account("관리자"), onlyIfNone: false));
        Assert.True(await Store.TryAddAsync(Account("두번째"), onlyIfNone: false));

        Assert.Equal(["관리자", "두번째"], (await Store.ListAsync()).Select(a => a.Username).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Failures_count_up_to_the_limit_then_lock_and_restart_and_a_login_clears_the_lock()
    {
        await Store.TryAddAsync(Account("운영자"), onlyIfNone: false);
        var until = At.AddMinutes(15);

        Assert.Equal(1, (await Store.RecordFailedLoginAsync("운영자", 3, until))!.FailedLogins);
        Assert.Equal(2, (await Store.RecordFailedLoginAsync("운영자", 3, until))!.FailedLogins);
        var locked = await Store.RecordFailedLoginAsync("운영자", 3, until);
        Assert.Equal(0, locked!.FailedLogins);
        Assert.Equal(until, locked.LockedUntil);
        Assert.Null(await Store.RecordFailedLoginAsync("없는사람", 3, until));

        await Store.RecordLoginAsync("운영자", At.AddMinutes(20));
        var after = await Store.FindAsync("운영자");
        Assert.Null(after!.LockedUntil);
        Assert.Equal(At.AddMinutes(20), after.LastLoginAt);
    }

    [Fact]
    public async Task Setting_a_password_replaces_hash_and_stamp_and_reports_a_missing_account()
    {
        await Store.TryAddAsync(Account("운영자"), onlyIfNone: false);

        Assert.True(await Store.SetPasswordAsync("운영자", "new-hash", "new-stamp", At.AddDays(1)));
        Assert.False(await Store.SetPasswordAsync("없는사람", "x", "y", At));

        var account = await Store.FindAsync("운영자");
        Assert.Equal(("new-hash", "new-stamp", At.AddDays(1)), (account!.PasswordHash, account.SecurityStamp, account.PasswordSetAt));
    }

    [Fact]
    public async Task Deleting_refuses_the_last_account_and_tells_a_missing_one_apart()
    {
        await Store.TryAddAsync(Account("첫째"), onlyIfNone: false);
        await Store.TryAddAsync(Account("둘째"), onlyIfNone: false);

        Assert.True(await Store.DeleteUnlessLastAsync("둘째"));
        Assert.False(await Store.DeleteUnlessLastAsync("첫째"));
        Assert.Null(await Store.DeleteUnlessLastAsync("없는사람"));

        Assert.Equal(["첫째"], (await Store.ListAsync()).Select(a => a.Username));
    }

    [Fact]
    public async Task Unlocking_clears_the_lock_and_the_failure_count()
    {
        await Store.TryAddAsync(Account("잠김"), onlyIfNone: false);
        await Store.RecordFailedLoginAsync("잠김", 2, At.AddMinutes(15));
        await Store.RecordFailedLoginAsync("잠김", 2, At.AddMinutes(15));

        Assert.True(await Store.UnlockAsync("잠김"));
        Assert.False(await Store.UnlockAsync("없는사람"));

        var account = await Store.FindAsync("잠김");
        Assert.Equal((0, (DateTimeOffset?)null), (account!.FailedLogins, account.LockedUntil));
    }
}
