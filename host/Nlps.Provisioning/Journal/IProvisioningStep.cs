namespace Nlps.Provisioning.Journal;

/// <summary>
/// One step of a provisioning run. It must be safe to run again after a kill at any point inside it: it checks what
/// already exists before changing anything, so a repeat finds the work done and creates no duplicates.
/// </summary>
public interface IProvisioningStep
{
    /// <summary>A stable name, unique in the run (e.g. "model:bank-chat").</summary>
    string Name { get; }

    /// <summary>The SHA-256 of everything the step depends on; a journaled step with another hash runs again.</summary>
    string InputHash { get; }

    Task<StepResult> RunAsync(CancellationToken cancellationToken);
}

/// <summary>What a step did, for the report; facts are stable (no times) so a resumed run reports the same.</summary>
public sealed record StepResult(string Summary, IReadOnlyDictionary<string, string> Facts);
