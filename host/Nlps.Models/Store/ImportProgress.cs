namespace Nlps.Models.Store;

/// <summary>Where a long store operation stands: the phase, bytes done of the phase's total, and the file at hand.</summary>
public sealed record ImportProgress(ImportPhase Phase, long BytesDone, long BytesTotal, string? CurrentFile);

public enum ImportPhase
{
    /// <summary>Reading config.json and the safetensors headers of the source.</summary>
    Checking,

    /// <summary>Copying into the staging folder while hashing.</summary>
    Copying,

    /// <summary>Re-reading the copy and comparing each file's SHA-256.</summary>
    Verifying,

    /// <summary>Writing the manifest, renaming into place and recording it.</summary>
    Committing,
}
