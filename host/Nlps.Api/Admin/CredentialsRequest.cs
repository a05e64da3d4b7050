namespace Nlps.Api.Admin;

/// <summary>A user name and password: the body of login, first run and account creation.</summary>
/// <param name="Username">The login name.</param>
/// <param name="Password">The password.</param>
public sealed record CredentialsRequest(string? Username, string? Password);
