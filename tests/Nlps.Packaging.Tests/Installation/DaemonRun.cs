using Nlps.Packaging.Tests.Support;

namespace Nlps.Packaging.Tests.Installation;

/// <summary>One start and stop of the installed nlpsd, as systemd would run it: as nlps, with NOTIFY_SOCKET set.</summary>
public sealed class DaemonRun
{
    public IReadOnlyList<string> Notifications { get; set; } = [];
    public int ReadyStatus { get; set; }
    public string ReadyBody { get; set; } = string.Empty;
    public string? WatchdogPing { get; set; }
    public CommandResult Status { get; set; } = null!;
    public string AdminToken { get; set; } = string.Empty;
    public string? Stopping { get; set; }
    public int ExitCode { get; set; }
    public TimeSpan StopTime { get; set; }
    public string Log { get; set; } = string.Empty;
}
