namespace Nlps.Api.Admin;

/// <summary>What <c>GET /v1/admin/session</c> tells the console: where it stands and the antiforgery token to send.</summary>
/// <param name="State"><c>setup</c> (no account yet: first run), <c>signed-out</c> or <c>signed-in</c>.</param>
/// <param name="Username">The signed-in account, or null.</param>
/// <param name="CsrfToken">The request token for the <c>X-CSRF-Token</c> header of every state-changing call.</param>
/// <param name="MinPasswordLength">The shortest password the appliance accepts.</param>
public sealed record ConsoleSessionInfo(string State, string? Username, string CsrfToken, int MinPasswordLength);
