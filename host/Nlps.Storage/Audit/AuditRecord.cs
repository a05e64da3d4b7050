namespace Nlps.Storage.Audit;

/// <summary>A stored audit entry.</summary>
/// <param name="Id">Rises with every append; newer entries have larger ids.</param>
/// <param name="At">When it was appended (UTC).</param>
/// <param name="Actor">Who acted.</param>
/// <param name="Action">What was done.</param>
/// <param name="Target">What it was done to, or null.</param>
/// <param name="Result">How it ended.</param>
/// <param name="Detail">Free text for the operator, or null.</param>
public sealed record AuditRecord(long Id, DateTimeOffset At, string Actor, string Action, string? Target, AuditResult Result, string? Detail);
