using Nlps.Hardware.Snapshot;
using Nlps.Models.Planning;
using Nlps.Provisioning.Checking;
using Nlps.Provisioning.Journal;
using Nlps.Provisioning.Media;

namespace Nlps.Provisioning.Reports;

/// <summary>
/// The provisioning report that ships with the box: what was checked, what was done, and what the acceptance run
/// found. <see cref="Outcome"/> is one of <see cref="ReportOutcomes"/>.
/// </summary>
/// <param name="Versions">Component versions (nlpsctl, nlpsd, SDK, each plugin).</param>
/// <param name="Reason">Why the run did not pass, in one sentence; null when it passed.</param>
public sealed record ProvisioningReport(
    string CustomerId,
    string CustomerName,
    string Profile,
    string ProfileSha256,
    DateTimeOffset GeneratedAt,
    string Outcome,
    string? Reason,
    IReadOnlyDictionary<string, string> Versions,
    HardwareSnapshot Hardware,
    Plan? Plan,
    IReadOnlyList<MediaFile> Files,
    IReadOnlyList<VerifiedPlugin> Plugins,
    IReadOnlyList<PreflightProblem> Problems,
    IReadOnlyList<StepRecord> Steps,
    IReadOnlyList<AcceptanceResult> Acceptance);

/// <summary>One request of the acceptance run.</summary>
/// <param name="Target">What was called, e.g. "POST /v1/agents/nlps.translator/glossary_list".</param>
/// <param name="Status">The HTTP status of a refusal, 200 for any success (2xx), 0 when there was no answer.</param>
public sealed record AcceptanceResult(string Name, string Target, bool Passed, int Status, string Detail);

public static class ReportOutcomes
{
    public const string Passed = "passed";

    /// <summary>Preflight found problems; nothing was changed.</summary>
    public const string Refused = "refused";

    /// <summary>A step failed; the steps before it are journaled and a re-run resumes after them.</summary>
    public const string Failed = "failed";

    /// <summary>nlpsd must restart to take the deployments and agent configuration; a re-run resumes.</summary>
    public const string RestartRequired = "restart_required";

    /// <summary>Cancelled (Ctrl-C); completed steps are journaled and a re-run resumes after them.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Everything was set up but an acceptance request failed.</summary>
    public const string AcceptanceFailed = "acceptance_failed";
}
