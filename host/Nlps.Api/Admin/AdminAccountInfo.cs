using Nlps.Storage.Admins;

namespace Nlps.Api.Admin;

/// <summary>An administrator account as the API lists it (never its hash).</summary>
/// <param name="Username">The login name.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="PasswordSetAt">When its password was last set.</param>
/// <param name="LockedUntil">When its lock ends, or null when it is not locked.</param>
/// <param name="LastLoginAt">Its last successful login.</param>
public sealed record AdminAccountInfo(string Username, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset PasswordSetAt, DateTimeOffset? LockedUntil, DateTimeOffset? LastLoginAt)
{
    /// <summary>The view of a stored account at <paramref name="now"/>.</summary>
    /// <param name="account">The account.</param>
    /// <param name="now">The current time (an expired lock is not shown).</param>
    public static AdminAccountInfo From(AdminAccountRecord account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new(account.Username, account.CreatedAt, account.CreatedBy, account.PasswordSetAt, account.LockedUntil > now ? account.LockedUntil : null, account.LastLoginAt);
    }
}
