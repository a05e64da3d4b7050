using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Nlps.Storage.ApiKeys;

namespace Nlps.Api.Security.ApiKeys;

/// <summary>
/// The live set of API keys: creates (the only time the key text exists), revokes, and checks presented keys.
/// Keys found once stay cached by id, so a request costs one SHA-256 and no database read; create and revoke go
/// through here and update the cache, and nlpsd is the only writer of its database.
/// </summary>
public sealed class ApiKeyRegistry(ApiKeyStore store, IOptions<ApiKeyOptions> options, TimeProvider timeProvider)
{
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, ApiKeyRecord> cache = new(StringComparer.Ordinal);

    /// <summary>Requests a minute for keys without their own limit.</summary>
    public int DefaultRequestsPerMinute => options.Value.DefaultRequestsPerMinute;

    /// <summary>Creates a key; the returned text is not kept anywhere and cannot be shown again.</summary>
    /// <param name="name">A name for people.</param>
    /// <param name="scopes">Validated scopes (see <see cref="ApiKeyScopes.Validate"/>).</param>
    /// <param name="expiresAt">When it stops working, or null.</param>
    /// <param name="requestsPerMinute">Its rate limit, or null for the default.</param>
    /// <param name="createdBy">The administrator creating it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<(ApiKeyRecord Key, string Text)> CreateAsync(string name, IReadOnlyList<string> scopes, DateTimeOffset? expiresAt, int? requestsPerMinute, string createdBy, CancellationToken cancellationToken)
    {
        var (id, text) = ApiKeyText.Generate();
        var key = new ApiKeyRecord(id, name, ApiKeyText.Hash(text), [.. scopes.Distinct(StringComparer.Ordinal)], requestsPerMinute, timeProvider.GetUtcNow(), createdBy, expiresAt, null, null);
        await store.AddAsync(key, cancellationToken).ConfigureAwait(false);
        cache[id] = key;
        return (key, text);
    }

    /// <summary>Every key, newest first.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>Revokes a key; null when there is no such key, else the key as it now stands.</summary>
    /// <param name="id">The key id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<ApiKeyRecord?> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        await store.RevokeAsync(id, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var key = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            cache.TryRemove(id, out _);
            return null;
        }

        cache[id] = key;
        return key;
    }

    /// <summary>Checks a presented key text (already known to have the shape of a key, with id <paramref name="id"/>).</summary>
    /// <param name="id">The id parsed from the text.</param>
    /// <param name="text">The whole presented text.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<ApiKeyCheck> CheckAsync(string id, string text, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(id, out var key))
        {
            // Unknown ids are not cached: random ids must not grow memory.
            key = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
            if (key is null)
            {
                return new ApiKeyCheck(ApiKeyCheckOutcome.Invalid, null);
            }

            // GetOrAdd: a revoke that raced with this read has already put the newer row in the cache.
            key = cache.GetOrAdd(id, key);
        }

        if (!CryptographicOperations.FixedTimeEquals(ApiKeyText.Hash(text), key.SecretSha256))
        {
            return new ApiKeyCheck(ApiKeyCheckOutcome.Invalid, null);
        }

        var now = timeProvider.GetUtcNow();
        if (key.RevokedAt is not null)
        {
            return new ApiKeyCheck(ApiKeyCheckOutcome.Revoked, key);
        }

        if (key.ExpiresAt <= now)
        {
            return new ApiKeyCheck(ApiKeyCheckOutcome.Expired, key);
        }

        if (key.LastUsedAt is null || now - key.LastUsedAt >= LastUsedResolution)
        {
            var touched = key with { LastUsedAt = now };
            cache.TryUpdate(id, touched, key);
            await store.TouchAsync(id, now, cancellationToken).ConfigureAwait(false);
            key = touched;
        }

        return new ApiKeyCheck(ApiKeyCheckOutcome.Valid, key);
    }
}
