namespace Nlps.Api.Security.Accounts;

/// <summary>How a console login attempt ended.</summary>
public enum LoginOutcome
{
    /// <summary>The password was right and the account is not locked.</summary>
    SignedIn,

    /// <summary>No such account, or the wrong password (the caller cannot tell which).</summary>
    InvalidCredentials,

    /// <summary>The account is locked; no password is checked until the lock ends.</summary>
    Locked,
}
