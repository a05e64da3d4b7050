namespace Nlps.Api.Admin;

/// <summary>The body of <c>POST /v1/admin/api-keys</c>.</summary>
/// <param name="Name">A name for people (1 to 100 characters).</param>
/// <param name="Scopes">What it may call: <c>agent/operation</c>, <c>agent/*</c>, <c>*</c>, <c>metrics</c>, <c>models</c>, <c>models:deployment</c>.</param>
/// <param name="ExpiresAt">When it stops working (in the future), or null for never.</param>
/// <param name="RequestsPerMinute">Its own rate limit, or null for the appliance default.</param>
public sealed record ApiKeyCreateRequest(string? Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt, int? RequestsPerMinute);
