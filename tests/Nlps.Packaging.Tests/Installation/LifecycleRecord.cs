using Nlps.Packaging.Tests.Support;

namespace Nlps.Packaging.Tests.Installation;

/// <summary>What the install lifecycle saw at each step; the tests assert on it.</summary>
public sealed class LifecycleRecord
{
    public required string PreviousVersion { get; init; }

    public required string CurrentVersion { get; init; }

    // After `dpkg -i` of the previous build on a machine without the package.
    public CommandResult FreshInstall { get; set; } = null!;
    public string? AccountEntry { get; set; }
    public string StateFolder { get; set; } = string.Empty;
    public string ConfigFolder { get; set; } = string.Empty;
    public string ConfigFile { get; set; } = string.Empty;
    public bool UnitEnabled { get; set; }

    // The same version installed again: every maintainer script runs a second time.
    public CommandResult Reinstall { get; set; } = null!;
    public string? AccountEntryAfterReinstall { get; set; }

    // Upgrade to the current build after an operator edited nlps.json and the service wrote state.
    public string EditedConfig { get; set; } = string.Empty;
    public CommandResult Upgrade { get; set; } = null!;
    public string InstalledVersionAfterUpgrade { get; set; } = string.Empty;
    public string? ConfigAfterUpgrade { get; set; }
    public string? StateMarkerAfterUpgrade { get; set; }
    public string StateFolderAfterUpgrade { get; set; } = string.Empty;

    // The installed system.
    public CommandResult InstalledUnitVerify { get; set; } = null!;
    public CommandResult NlpsctlOnPath { get; set; } = null!;
    public DaemonRun Daemon { get; set; } = null!;

    // `dpkg -r`.
    public CommandResult Remove { get; set; } = null!;
    public string StatusAfterRemove { get; set; } = string.Empty;
    public bool ProgramFolderAfterRemove { get; set; }
    public bool NlpsctlAfterRemove { get; set; }
    public string? StateMarkerAfterRemove { get; set; }
    public bool ConfigAfterRemove { get; set; }

    // `dpkg -P`.
    public CommandResult Purge { get; set; } = null!;
    public string StatusAfterPurge { get; set; } = string.Empty;
    public bool StateFolderAfterPurge { get; set; }
    public bool ConfigFolderAfterPurge { get; set; }
    public bool UnitLinkAfterPurge { get; set; }
}
