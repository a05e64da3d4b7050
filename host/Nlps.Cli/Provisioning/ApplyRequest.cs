using Nlps.Provisioning.Profiles;

namespace Nlps.Cli.Provisioning;

/// <summary>
/// What <c>provision apply</c> was asked to do. <c>StateFolder</c>: where provisioning/&lt;customer&gt;/ (journal, report,
/// handover file) goes, default nlpsd's state folder; <c>NlpsdConfig</c>: nlpsd's configuration file, which receives the
/// deployments and agent configuration.
/// </summary>
internal sealed record ApplyRequest(CustomerProfile Profile, string Media, string? Box, string? StateFolder, string NlpsdConfig, string? HandoverFile);
