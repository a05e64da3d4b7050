namespace Nlps.Storage.ApiKeys;

/// <summary>A stored API key. The secret itself is never stored, only its SHA-256.</summary>
/// <param name="Id">The public key id (also part of the key text, so a presented key finds its row without a scan).</param>
/// <param name="Name">What the operator called it.</param>
/// <param name="SecretSha256">SHA-256 of the whole key text.</param>
/// <param name="Scopes">What it may call, e.g. <c>translator/translate</c>, <c>translator/*</c>, <c>*</c>, <c>metrics</c>.</param>
/// <param name="RequestsPerMinute">Its own rate limit, or null for the appliance default.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="ExpiresAt">When it stops working, or null for never.</param>
/// <param name="RevokedAt">When it was revoked, or null.</param>
/// <param name="LastUsedAt">When it last authenticated a request (updated at most once a minute), or null.</param>
public sealed record ApiKeyRecord(
    string Id,
    string Name,
    byte[] SecretSha256,
    IReadOnlyList<string> Scopes,
    int? RequestsPerMinute,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt);
