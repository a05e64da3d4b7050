using Nlps.Provisioning.Journal;
using Nlps.Testing;

namespace Nlps.Provisioning.Tests.Journal;

public sealed class StepEngineTests
{
    [Fact]
    public async Task A_rerun_skips_completed_steps_and_reports_what_they_reported()
    {
        using var work = new TempFolder("nlps-journal-");
        var first = new CountingStep("a", "h1");
        var second = new CountingStep("b", "h2");
        IReadOnlyList<StepRecord> before = await new StepEngine(await ProvisioningJournal.OpenAsync(work.Path, CancellationToken.None)).RunAsync([first, second], CancellationToken.None);

        IReadOnlyList<StepRecord> after = await new StepEngine(await ProvisioningJournal.OpenAsync(work.Path, CancellationToken.None)).RunAsync([first, second], CancellationToken.None);

        Assert.Equal(1, first.Runs);
        Assert.Equal(1, second.Runs);
        Assert.Equal(before.Select(r => (r.Step, r.Summary)), after.Select(r => (r.Step, r.Summary)));
    }

    [Fact]
    public async Task A_step_whose_inputs_changed_runs_again()
    {
        using var work = new TempFolder("nlps-journal-");
        await new StepEngine(await ProvisioningJournal.OpenAsync(work.Path, CancellationToken.None)).RunAsync([new CountingStep("a", "h1")], CancellationToken.None);
        var changed = new CountingStep("a", "h2");

        await new StepEngine(await ProvisioningJournal.OpenAsync(work.Path, CancellationToken.None)).RunAsync([changed], CancellationToken.None);

        Assert.Equal(1, changed.Runs);
    }

    [Fact]
    public async Task A_failed_step_stops_the_run_and_the_steps_before_it_stay_done()
    {
        using var work = new TempFolder("nlps-journal-");
        var done = new CountingStep("a", "h1");
        var failing = new CountingStep("b", "h2") { Failure = "disk full" };
        var never = new CountingStep("c", "h3");

        ProvisioningJournal journal = await ProvisioningJournal.OpenAsync(work.Path, CancellationToken.None);
        var error = await Assert.ThrowsAsync<StepFailedException>(() => new StepEngine(journal).RunAsync([done, failing, never], CancellationToken.None));
        failing.Failure = null;
        await new StepEngine(await ProvisioningJournal.OpenAsync(work.Path, CancellationToken.None)).RunAsync([done, failing, never], CancellationToken.None);

        Assert.Equal("disk full", error.Message);
        Assert.Equal((1, 2, 1), (done.Runs, failing.Runs, never.Runs));
    }

    [Fact]
    public async Task A_line_torn_by_a_kill_is_ignored_and_that_step_runs_again()
    {
        using var work = new TempFolder("nlps-journal-");
        var step = new CountingStep("a", "h1");
        await new StepEngine(await ProvisioningJournal.OpenAsync(work.Path, CancellationToken.None)).RunAsync([step], CancellationToken.None);
        string journal = Path.Combine(work.Path, ProvisioningJournal.FileName);
        string line = File.ReadAllText(journal);
        File.WriteAllText(journal, line[..(line.Length / 2)]);

        await new StepEngine(await ProvisioningJournal.OpenAsync(work.Path, CancellationToken.None)).RunAsync([step], CancellationToken.None);

        Assert.Equal(2, step.Runs);
    }

    private sealed class CountingStep(string name, string hash) : IProvisioningStep
    {
        public int Runs { get; private set; }

        public string? Failure { get; set; }

        public string Name => name;

        public string InputHash => hash;

        public Task<StepResult> RunAsync(CancellationToken cancellationToken)
        {
            Runs++;
            return Failure is null
                ? Task.FromResult(new StepResult($"{name} done", new Dictionary<string, string> { ["name"] = name }))
                : throw new StepFailedException(Failure);
        }
    }
}
