namespace Nlps.Provisioning.Checking;

/// <summary>Why provisioning refuses to start: a stable code, what it is about, and a sentence for people.</summary>
public sealed record PreflightProblem(string Code, string Subject, string Message);
