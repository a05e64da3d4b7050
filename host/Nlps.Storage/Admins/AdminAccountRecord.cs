namespace Nlps.Storage.Admins;

/// <summary>A stored console administrator. The password is kept only as a <c>PasswordHasher</c> hash.</summary>
/// <param name="Username">The login name (case-sensitive, unique).</param>
/// <param name="PasswordHash">The hash in ASP.NET Core Identity's format (PBKDF2 with a per-account salt).</param>
/// <param name="SecurityStamp">Changes with the password; sessions issued under another stamp are refused.</param>
/// <param name="CreatedAt">When the account was created.</param>
/// <param name="CreatedBy">Who created it (<c>first-run</c>, <c>admin-token</c> or another account).</param>
/// <param name="PasswordSetAt">When the password was last set.</param>
/// <param name="FailedLogins">Wrong passwords since the last successful login or lockout.</param>
/// <param name="LockedUntil">Logins are refused until then; null when not locked.</param>
/// <param name="LastLoginAt">The last successful login, or null.</param>
public sealed record AdminAccountRecord(
    string Username,
    string PasswordHash,
    string SecurityStamp,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset PasswordSetAt,
    int FailedLogins,
    DateTimeOffset? LockedUntil,
    DateTimeOffset? LastLoginAt);
