namespace Nlps.Provisioning.Journal;

/// <summary>A completed step as the journal keeps it: which inputs it ran on (their hash) and what it reported.</summary>
public sealed record StepRecord(string Step, string InputHash, string Summary, IReadOnlyDictionary<string, string> Facts);
