namespace Nlps.Api.Security.Accounts;

/// <summary>Why an account request was refused, with the stable problem code the API answers.</summary>
/// <param name="Code">The problem code.</param>
/// <param name="Detail">What is wrong, naming the field.</param>
public sealed record AccountProblem(string Code, string Detail);
