using System.Globalization;
using System.Security.Claims;
using Nlps.Storage.ApiKeys;

namespace Nlps.Api.Security.ApiKeys;

/// <summary>How an API key appears as a user: its id, scopes and rate limit as claims.</summary>
public static class ApiKeyClaims
{
    /// <summary>The key id claim.</summary>
    public const string KeyId = "nlps:key_id";

    /// <summary>One claim per scope.</summary>
    public const string Scope = "nlps:scope";

    /// <summary>Requests a minute.</summary>
    public const string RequestsPerMinute = "nlps:requests_per_minute";

    /// <summary>The principal for a valid key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultRequestsPerMinute">Its limit when it has none of its own.</param>
    /// <param name="scheme">The authentication scheme.</param>
    public static ClaimsPrincipal Principal(ApiKeyRecord key, int defaultRequestsPerMinute, string scheme)
    {
        ArgumentNullException.ThrowIfNull(key);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, $"apikey:{key.Id}"),
            new(KeyId, key.Id),
            new(RequestsPerMinute, (key.RequestsPerMinute ?? defaultRequestsPerMinute).ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(key.Scopes.Select(scope => new Claim(Scope, scope)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The key id when <paramref name="user"/> is an API key, else null.</summary>
    /// <param name="user">The request's user.</param>
    public static string? GetKeyId(ClaimsPrincipal user) => user?.FindFirst(KeyId)?.Value;

    /// <summary>The scopes of an API key user.</summary>
    /// <param name="user">The request's user.</param>
    public static IEnumerable<string> GetScopes(ClaimsPrincipal user) =>
        user?.FindAll(Scope).Select(c => c.Value) ?? [];

    /// <summary>The rate limit of an API key user.</summary>
    /// <param name="user">The request's user.</param>
    public static int GetRequestsPerMinute(ClaimsPrincipal user) =>
        int.Parse(user?.FindFirst(RequestsPerMinute)?.Value ?? "0", CultureInfo.InvariantCulture);
}
