namespace Nlps.Api.Admin;

/// <summary>The answer to creating a key: the only time its text is shown.</summary>
/// <param name="Key">The key text to give to the client (<c>Authorization: Bearer …</c>).</param>
/// <param name="ApiKey">The key's description.</param>
public sealed record CreatedApiKey(string Key, ApiKeyInfo ApiKey);
