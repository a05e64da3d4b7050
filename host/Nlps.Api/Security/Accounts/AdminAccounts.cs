using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Nlps.Storage.Admins;

namespace Nlps.Api.Security.Accounts;

/// <summary>
/// Console administrators: create (first run, or by an administrator), check a login with lockout, change a
/// password. Passwords are hashed with the shared framework's <see cref="PasswordHasher{TUser}"/> (PBKDF2 with a
/// per-account salt); lock times come from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class AdminAccounts
{
    /// <summary>The longest accepted user name and password.</summary>
    public const int MaxUsernameLength = 64;

    private const int MaxPasswordLength = 256;
    private readonly AdminAccountStore store;
    private readonly TimeProvider time;
    private readonly AdminAccountOptions options;
    private readonly PasswordHasher<AdminAccountRecord> hasher = new();

    // Verified against when the user name is unknown, so that a wrong name costs as long as a wrong password.
    private readonly Lazy<string> decoyHash;

    /// <summary>Creates the service.</summary>
    /// <param name="store">The account table.</param>
    /// <param name="time">The clock for locks and timestamps.</param>
    /// <param name="options">Lockout and password rules.</param>
    public AdminAccounts(AdminAccountStore store, TimeProvider time, IOptions<AdminAccountOptions> options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.time = time;
        this.options = options.Value;
        decoyHash = new(() => hasher.HashPassword(null!, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
    }

    /// <summary>The shortest password accepted.</summary>
    public int MinPasswordLength => options.MinPasswordLength;

    /// <summary>True while no account exists (the console then offers its first-run form).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<bool> NeedsFirstRunAsync(CancellationToken cancellationToken) =>
        await store.CountAsync(cancellationToken).ConfigureAwait(false) == 0;

    /// <summary>Every account.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<AdminAccountRecord>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>The account named <paramref name="username"/>, or null.</summary>
    /// <param name="username">The login name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<AdminAccountRecord?> FindAsync(string username, CancellationToken cancellationToken) => store.FindAsync(username, cancellationToken);

    /// <summary>
    /// Creates an account, or says why not. With <paramref name="firstRun"/> it succeeds only while there is no
    /// account at all, so the unauthenticated first-run form cannot add a second administrator.
    /// </summary>
    /// <param name="username">The login name.</param>
    /// <param name="password">The password.</param>
    /// <param name="createdBy">Who is creating it.</param>
    /// <param name="firstRun">Only into an empty table.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<(AdminAccountRecord? Account, AccountProblem? Problem)> CreateAsync(string? username, string? password, string createdBy, bool firstRun, CancellationToken cancellationToken)
    {
        var problem = CheckUsername(username) ?? CheckPassword(password, "password");
        if (problem is not null)
        {
            return (null, problem);
        }

        var now = time.GetUtcNow();
        var account = new AdminAccountRecord(username!, hasher.HashPassword(null!, password!), NewStamp(), now, createdBy, now, 0, null, null);
        if (await store.TryAddAsync(account, firstRun, cancellationToken).ConfigureAwait(false))
        {
            return (account, null);
        }

        return firstRun
            ? (null, new AccountProblem("setup_already_done", "An administrator account already exists; sign in instead."))
            : (null, new AccountProblem("account_exists", $"An account named '{username}' already exists."));
    }

    /// <summary>Checks a login. Wrong passwords count towards the lock; a locked account is refused without checking the password.</summary>
    /// <param name="username">The login name.</param>
    /// <param name="password">The password.</param>
    /// <param name="cancellationToken">Cancels the database access.</param>
    public async Task<LoginResult> CheckLoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        var account = username.Length <= MaxUsernameLength ? await store.FindAsync(username, cancellationToken).ConfigureAwait(false) : null;
        var now = time.GetUtcNow();
        if (account?.LockedUntil > now)
        {
            return new LoginResult(LoginOutcome.Locked, null, account.LockedUntil);
        }

        if (account is null || password.Length > MaxPasswordLength)
        {
            hasher.VerifyHashedPassword(null!, decoyHash.Value, password.Length > MaxPasswordLength ? string.Empty : password);
            return new LoginResult(LoginOutcome.InvalidCredentials, null, null);
        }

        if (hasher.VerifyHashedPassword(account, account.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            var after = await store.RecordFailedLoginAsync(account.Username, options.MaxFailedLogins, now + options.LockoutDuration, cancellationToken).ConfigureAwait(false);
            return after?.LockedUntil > now
                ? new LoginResult(LoginOutcome.Locked, null, after.LockedUntil)
                : new LoginResult(LoginOutcome.InvalidCredentials, null, null);
        }

        await store.RecordLoginAsync(account.Username, now, cancellationToken).ConfigureAwait(false);
        return new LoginResult(LoginOutcome.SignedIn, account, null);
    }

    /// <summary>Changes a password after checking the current one; the new security stamp ends the account's other sessions.</summary>
    /// <param name="username">The signed-in account.</param>
    /// <param name="currentPassword">Its current password.</param>
    /// <param name="newPassword">The new password.</param>
    /// <param name="cancellationToken">Cancels the database access.</param>
    public async Task<(AdminAccountRecord? Account, AccountProblem? Problem)> ChangePasswordAsync(string username, string? currentPassword, string? newPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        var problem = CheckPassword(newPassword, "newPassword");
        if (problem is not null)
        {
            return (null, problem);
        }

        var account = await store.FindAsync(username, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return (null, NotFound(username));
        }

        if (currentPassword is null || currentPassword.Length > MaxPasswordLength
            || hasher.VerifyHashedPassword(account, account.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
        {
            return (null, new AccountProblem("invalid_credentials", "currentPassword is not this account's password."));
        }

        var stamp = NewStamp();
        var hash = hasher.HashPassword(account, newPassword!);
        var now = time.GetUtcNow();
        await store.SetPasswordAsync(username, hash, stamp, now, cancellationToken).ConfigureAwait(false);
        return (account with { PasswordHash = hash, SecurityStamp = stamp, PasswordSetAt = now, FailedLogins = 0, LockedUntil = null }, null);
    }

    /// <summary>
    /// Deletes an account; its sessions end with it (they are checked against the account on each request). Refused
    /// for the caller's own account (an administrator removes another, so someone who can sign in always remains)
    /// and for the last account.
    /// </summary>
    /// <param name="username">The account to delete.</param>
    /// <param name="actorAccount">The signed-in account asking, or null for the admin token.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<AccountProblem?> DeleteAsync(string username, string? actorAccount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        if (string.Equals(username, actorAccount, StringComparison.Ordinal))
        {
            return new AccountProblem("cannot_delete_self", "An administrator cannot delete the account they are signed in with; ask another administrator or use nlpsctl with the admin token.");
        }

        return await store.DeleteUnlessLastAsync(username, cancellationToken).ConfigureAwait(false) switch
        {
            true => null,
            false => new AccountProblem("last_account", $"'{username}' is the only administrator account; create another before deleting it."),
            null => NotFound(username),
        };
    }

    /// <summary>Ends an account's lockout and clears its failed logins.</summary>
    /// <param name="username">The account.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<AccountProblem?> UnlockAsync(string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        return await store.UnlockAsync(username, cancellationToken).ConfigureAwait(false) ? null : NotFound(username);
    }

    /// <summary>True when <paramref name="username"/> exists and still carries <paramref name="stamp"/> (its password has not changed since the session began).</summary>
    /// <param name="username">The session's account.</param>
    /// <param name="stamp">The stamp in the session.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<bool> IsSessionCurrentAsync(string username, string stamp, CancellationToken cancellationToken)
    {
        var account = await store.FindAsync(username, cancellationToken).ConfigureAwait(false);
        return account is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(account.SecurityStamp), System.Text.Encoding.UTF8.GetBytes(stamp));
    }

    private static AccountProblem? CheckUsername(string? username) =>
        string.IsNullOrWhiteSpace(username) || username.Length > MaxUsernameLength || username.Trim().Length != username.Length
            || username.Any(char.IsControl) || username.Contains(':', StringComparison.Ordinal)
            ? new AccountProblem("invalid_username", $"username must be 1 to {MaxUsernameLength} characters, without leading or trailing spaces, control characters or ':'.")
            : null;

    private AccountProblem? CheckPassword(string? password, string field) =>
        password is null || password.Length < options.MinPasswordLength || password.Length > MaxPasswordLength
            ? new AccountProblem("weak_password", $"{field} must be {options.MinPasswordLength} to {MaxPasswordLength} characters.")
            : null;

    private static AccountProblem NotFound(string username) => new("account_not_found", $"There is no account named '{username}'.");

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
