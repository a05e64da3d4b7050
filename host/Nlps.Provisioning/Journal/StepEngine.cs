using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Nlps.Provisioning.Journal;

/// <summary>
/// Runs steps in order, skipping those the journal records as completed on the same inputs (reusing their recorded
/// result, so a resumed run reports exactly what an uninterrupted one does) and journaling each one as it completes.
/// </summary>
public sealed partial class StepEngine(ProvisioningJournal journal, ILogger<StepEngine>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<StepEngine>.Instance;

    /// <summary>Raised when a step starts (false) or is found done in the journal (true).</summary>
    public event Action<string, bool>? StepStarting;

    /// <summary>Raised after a step is journaled.</summary>
    public event Action<StepRecord>? StepCompleted;

    /// <summary>Runs the steps; throws <see cref="StepFailedException"/> at the first that fails, after journaling those before it.</summary>
    public async Task<IReadOnlyList<StepRecord>> RunAsync(IEnumerable<IProvisioningStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var records = new List<StepRecord>();
        foreach (IProvisioningStep step in steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (journal.Completed(step.Name, step.InputHash) is { } done)
            {
                Log.StepResumed(_logger, step.Name);
                StepStarting?.Invoke(step.Name, true);
                records.Add(done);
                continue;
            }

            StepStarting?.Invoke(step.Name, false);
            StepResult result = await step.RunAsync(cancellationToken).ConfigureAwait(false);
            var record = new StepRecord(step.Name, step.InputHash, result.Summary, result.Facts);
            await journal.AppendAsync(record, cancellationToken).ConfigureAwait(false);
            Log.StepCompleted(_logger, step.Name, result.Summary);
            StepCompleted?.Invoke(record);
            records.Add(record);
        }

        return records;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, EventName = "ProvisioningStepResumed", Level = LogLevel.Information, Message = "Step {Step} already completed on the same inputs; skipped")]
        public static partial void StepResumed(ILogger logger, string step);

        [LoggerMessage(EventId = 1102, EventName = "ProvisioningStepCompleted", Level = LogLevel.Information, Message = "Step {Step} completed: {Summary}")]
        public static partial void StepCompleted(ILogger logger, string step, string summary);
    }
}
