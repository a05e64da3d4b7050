namespace Nlps.Agents.Text.Terms;

/// <summary>What a term file may hold.</summary>
public sealed record TermFileLimits
{
    /// <summary>Limits for a glossary: short terms, each source once.</summary>
    public static TermFileLimits Glossary { get; } = new() { MaxSourceLength = 200, MaxTargetLength = 400, RejectDuplicateSources = true };

    /// <summary>Limits for translation-memory pairs: sentences, repeats allowed.</summary>
    public static TermFileLimits TranslationMemory { get; } = new() { MaxSourceLength = 4000, MaxTargetLength = 8000, RejectDuplicateSources = false };

    /// <summary>The most entries one file may hold.</summary>
    public int MaxRows { get; init; } = 200_000;

    /// <summary>The longest source cell, in characters.</summary>
    public int MaxSourceLength { get; init; } = 200;

    /// <summary>The longest target cell, in characters.</summary>
    public int MaxTargetLength { get; init; } = 400;

    /// <summary>True when a source that repeats an earlier one (after folding) is an error.</summary>
    public bool RejectDuplicateSources { get; init; }
}
