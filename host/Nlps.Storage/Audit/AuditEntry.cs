namespace Nlps.Storage.Audit;

/// <summary>An audited action, as the caller reports it; the log adds the id and the time.</summary>
/// <param name="Actor">Who acted: an API key id, <c>admin</c>, <c>nlpsctl</c>, <c>system</c>.</param>
/// <param name="Action">What was done, e.g. <c>plugin.install</c>.</param>
/// <param name="Target">What it was done to, e.g. a plugin id; null when nothing in particular.</param>
/// <param name="Result">How it ended.</param>
/// <param name="Detail">Free text for the operator (a refusal reason, an error); never secrets or payloads.</param>
public sealed record AuditEntry(string Actor, string Action, string? Target, AuditResult Result, string? Detail);
