namespace Nlps.Models.Store;

/// <summary>Where models live and how imports check them.</summary>
public sealed class ModelStoreOptions
{
    /// <summary>The folder holding one sub-folder per model (<c>&lt;state&gt;/models</c>); staging is in its <c>.staging</c>.</summary>
    public string Directory { get; set; } = "/var/lib/nlps/models";

    /// <summary>Whether an import re-reads every copied file and compares its SHA-256 before committing. Default true.</summary>
    public bool VerifyAfterCopy { get; set; } = true;
}
