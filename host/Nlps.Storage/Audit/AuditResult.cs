namespace Nlps.Storage.Audit;

/// <summary>How an audited action ended; stored as <c>ok</c>, <c>refused</c> or <c>failed</c>.</summary>
public enum AuditResult
{
    /// <summary>The action was carried out.</summary>
    Ok,

    /// <summary>The action was not allowed (authorisation, validation, policy).</summary>
    Refused,

    /// <summary>The action was allowed but did not complete.</summary>
    Failed,
}
