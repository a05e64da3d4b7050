using Nlps.Storage.ApiKeys;

namespace Nlps.Api.Security.ApiKeys;

/// <summary>The outcome of checking a presented API key.</summary>
public enum ApiKeyCheckOutcome
{
    /// <summary>The key is valid now.</summary>
    Valid,

    /// <summary>No key has that id, or the secret does not match.</summary>
    Invalid,

    /// <summary>The key was revoked.</summary>
    Revoked,

    /// <summary>The key's expiry has passed.</summary>
    Expired,
}

/// <summary>A checked API key: the outcome, and the key when the secret matched.</summary>
/// <param name="Outcome">Valid, invalid, revoked or expired.</param>
/// <param name="Key">The stored key when the secret matched (also when revoked or expired).</param>
public sealed record ApiKeyCheck(ApiKeyCheckOutcome Outcome, ApiKeyRecord? Key);
