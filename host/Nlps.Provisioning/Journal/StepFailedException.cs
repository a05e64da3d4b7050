namespace Nlps.Provisioning.Journal;

/// <summary>A step could not complete; the run stops there and the report names the step and the reason.</summary>
public sealed class StepFailedException(string message) : Exception(message);
