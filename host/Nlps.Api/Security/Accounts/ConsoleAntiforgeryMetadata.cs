namespace Nlps.Api.Security.Accounts;

/// <summary>Marks an anonymous endpoint (login, first run) that still needs the antiforgery token: login CSRF.</summary>
public sealed class ConsoleAntiforgeryMetadata
{
    /// <summary>The one instance.</summary>
    public static ConsoleAntiforgeryMetadata Instance { get; } = new();
}
