using Nlps.Storage.Admins;

namespace Nlps.Api.Security.Accounts;

/// <summary>The result of a login attempt.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Account">The account when signed in.</param>
/// <param name="LockedUntil">When the lock ends, for <see cref="LoginOutcome.Locked"/> (also when this attempt set it).</param>
public sealed record LoginResult(LoginOutcome Outcome, AdminAccountRecord? Account, DateTimeOffset? LockedUntil);
