using Nlps.Storage.ApiKeys;

namespace Nlps.Api.Admin;

/// <summary>An API key as the admin API shows it: everything but the secret.</summary>
/// <param name="Id">The public id (the text after <c>nlps_</c>, up to the second underscore).</param>
/// <param name="Name">Its name.</param>
/// <param name="Scopes">What it may call.</param>
/// <param name="RequestsPerMinute">Its rate limit (the appliance default when it has none of its own).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="ExpiresAt">When it expires, or null.</param>
/// <param name="RevokedAt">When it was revoked, or null.</param>
/// <param name="LastUsedAt">When it was last used (to the minute), or null.</param>
/// <param name="State">active, expired or revoked.</param>
public sealed record ApiKeyInfo(
    string Id,
    string Name,
    IReadOnlyList<string> Scopes,
    int RequestsPerMinute,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt,
    string State)
{
    /// <summary>The view of a stored key at <paramref name="now"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultRequestsPerMinute">The appliance default limit.</param>
    /// <param name="now">The current time, for the state.</param>
    public static ApiKeyInfo From(ApiKeyRecord key, int defaultRequestsPerMinute, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        var state = key.RevokedAt is not null ? "revoked" : key.ExpiresAt <= now ? "expired" : "active";
        return new(key.Id, key.Name, key.Scopes, key.RequestsPerMinute ?? defaultRequestsPerMinute, key.CreatedAt, key.CreatedBy, key.ExpiresAt, key.RevokedAt, key.LastUsedAt, state);
    }
}
