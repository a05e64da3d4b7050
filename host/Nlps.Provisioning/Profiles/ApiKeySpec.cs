namespace Nlps.Provisioning.Profiles;

/// <summary>An API key the customer gets; its text goes only to the handover file.</summary>
public sealed record ApiKeySpec(string Name, IReadOnlyList<string> Scopes);

/// <summary>The administrator account; its password is generated and goes only to the handover file.</summary>
public sealed record AdminSpec(string Username);
