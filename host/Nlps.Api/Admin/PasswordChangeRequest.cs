namespace Nlps.Api.Admin;

/// <summary>The body of <c>POST /v1/admin/session/password</c>.</summary>
/// <param name="CurrentPassword">The signed-in account's password now.</param>
/// <param name="NewPassword">The password to set.</param>
public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);
