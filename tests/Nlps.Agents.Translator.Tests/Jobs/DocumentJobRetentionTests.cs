using System.Text;
using System.Text.Json;
using Nlps.Agents.Translator.Jobs;
using Nlps.Agents.Translator.Tests.Support;
using Nlps.Sdk.Agents;

namespace Nlps.Agents.Translator.Tests.Jobs;

/// <summary>Finished document jobs and their files are removed a configured time after they finish, on the fake clock.</summary>
public sealed class DocumentJobRetentionTests
{
    private const string Swept = "DocumentJobsSwept";
    private static readonly object Document = new
    {
        name = "안내.txt",
        contentBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("금융실명제는 1993년에 시행되었다. 외국환거래법은 1999년에 제정되었다.")),
        examples = 0,
        retry = false,
    };

    [Fact]
    public async Task A_completed_job_is_kept_until_its_retention_ends_then_removed_with_its_files()
    {
        await using var translator = await TranslatorUnderTest.StartAsync("""{"documentJobRetentionHours": 2}""");
        var jobId = await FinishedJobAsync(translator, "completed");
        Assert.True(File.Exists(SourcePath(translator, jobId)));
        Assert.NotEmpty(await translator.KeysAsync($"docjob-segment/{jobId}/"));

        await AdvanceOneHourAsync(translator);
        var kept = await translator.CallAsync("translate_document_status", new { jobId });
        var result = await translator.CallAsync("translate_document_result", new { jobId });

        await AdvanceOneHourAsync(translator);
        var gone = await StatusProblemAsync(translator, jobId);

        Assert.Equal("completed", kept.GetProperty("state").GetString());
        Assert.False(string.IsNullOrEmpty(result.GetProperty("contentBase64").GetString()));
        Assert.Equal("job_not_found", gone.ErrorCode);
        Assert.Equal(404, gone.StatusCode);
        Assert.Equal((await StatusProblemAsync(translator, "없는-작업")).Message.Replace("없는-작업", jobId, StringComparison.Ordinal), gone.Message);
        Assert.Contains("expired", gone.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(SourcePath(translator, jobId)));
        Assert.Empty(await translator.KeysAsync($"docjob-segment/{jobId}/"));
        Assert.Empty(await translator.KeysAsync("docjob/"));
        Assert.Empty(await translator.KeysAsync("docjob-open/"));
        Assert.Contains(translator.Logs.Entries, e => e.EventName == "DocumentJobExpired" && e.Message.Contains(jobId, StringComparison.Ordinal));

        var again = await translator.CallAsync("translate_document_start", Document);
        Assert.NotEqual(jobId, again.GetProperty("jobId").GetString()); // the same document starts afresh
    }

    [Fact]
    public async Task A_running_job_is_never_removed_and_its_retention_starts_when_it_is_cancelled()
    {
        var model = new GatedTranslator(open: false);
        await using var translator = await TranslatorUnderTest.StartAsync("""{"documentJobRetentionHours": 1}""", model);
        var jobId = (await translator.CallAsync("translate_document_start", Document)).GetProperty("jobId").GetString()!;
        await model.Held.WaitAsync(TimeSpan.FromMinutes(1));

        for (var hour = 0; hour < 3; hour++)
        {
            await AdvanceOneHourAsync(translator);
        }

        var running = await translator.CallAsync("translate_document_status", new { jobId });
        var stagedWhileRunning = File.Exists(SourcePath(translator, jobId));
        var cancelled = await translator.CallAsync("translate_document_cancel", new { jobId });
        await AdvanceOneHourAsync(translator);
        var gone = await StatusProblemAsync(translator, jobId);

        Assert.Equal("running", running.GetProperty("state").GetString());
        Assert.True(stagedWhileRunning);
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
        Assert.Equal(translator.Time.GetUtcNow() - TimeSpan.FromHours(1), cancelled.GetProperty("finished").GetDateTimeOffset());
        Assert.Equal("job_not_found", gone.ErrorCode);
        Assert.False(File.Exists(SourcePath(translator, jobId)));
    }

    [Fact]
    public async Task A_failed_job_is_removed_once_its_retention_ends()
    {
        await using var translator = await TranslatorUnderTest.StartAsync("""{"documentJobRetentionHours": 1}""", new GatedTranslator(fail: true));
        var jobId = await FinishedJobAsync(translator, "failed");

        await AdvanceOneHourAsync(translator);

        Assert.Equal("job_not_found", (await StatusProblemAsync(translator, jobId)).ErrorCode);
        Assert.Empty(await translator.KeysAsync("docjob/"));
    }

    [Fact]
    public async Task Retention_zero_keeps_finished_jobs_through_years_and_restarts()
    {
        await using var translator = await TranslatorUnderTest.StartAsync("""{"documentJobRetentionHours": 0}""");
        var jobId = await FinishedJobAsync(translator, "completed");

        translator.Time.Advance(TimeSpan.FromDays(3650));
        await translator.RestartAsync();
        translator.Time.Advance(TimeSpan.FromDays(3650));
        var status = await translator.CallAsync("translate_document_status", new { jobId });

        Assert.Equal(0, translator.Time.ActiveTimerCount);
        Assert.Equal("completed", status.GetProperty("state").GetString());
        Assert.True(File.Exists(SourcePath(translator, jobId)));
        Assert.Equal(0, translator.Logs.Count("DocumentJobExpired"));
    }

    [Fact]
    public async Task A_job_whose_retention_ended_while_the_agent_was_stopped_is_removed_at_start()
    {
        await using var translator = await TranslatorUnderTest.StartAsync("""{"documentJobRetentionHours": 1}""");
        var jobId = await FinishedJobAsync(translator, "completed");
        await translator.StopAsync();

        translator.Time.Advance(TimeSpan.FromHours(2));
        await translator.RestartAsync();

        Assert.Equal("job_not_found", (await StatusProblemAsync(translator, jobId)).ErrorCode);
        Assert.False(File.Exists(SourcePath(translator, jobId)));
    }

    [Fact]
    public async Task A_finished_job_stored_without_a_finish_time_is_kept_a_whole_retention_from_the_first_check()
    {
        await using var translator = await TranslatorUnderTest.StartAsync("""{"documentJobRetentionHours": 1}""");
        var jobId = await FinishedJobAsync(translator, "completed");
        var record = await translator.Store.GetAsync("docjob/" + jobId);
        var legacy = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(record!)!;
        legacy.Remove("finished"); // as written before cancelled and failed jobs were stamped
        await translator.StopAsync();
        await translator.Store.SetAsync("docjob/" + jobId, JsonSerializer.SerializeToUtf8Bytes(legacy));
        translator.Time.Advance(TimeSpan.FromDays(30));

        await translator.RestartAsync();
        var stamped = await translator.CallAsync("translate_document_status", new { jobId });
        await AdvanceOneHourAsync(translator);

        Assert.Equal(translator.Time.GetUtcNow() - TimeSpan.FromHours(1), stamped.GetProperty("finished").GetDateTimeOffset());
        Assert.Equal("job_not_found", (await StatusProblemAsync(translator, jobId)).ErrorCode);
    }

    [Theory]
    [InlineData("""{"documentJobRetentionHours": -1}""", "nlps.translator configuration: documentJobRetentionHours: must be 0 (keep finished jobs until deleted) to 87600 hours, was -1")]
    [InlineData("""{"documentJobRetentionHours": 87601}""", "nlps.translator configuration: documentJobRetentionHours: must be 0 (keep finished jobs until deleted) to 87600 hours, was 87601")]
    [InlineData("""{"documentJobRetentionHours": 1.5}""", "nlps.translator configuration: $.documentJobRetentionHours: ")]
    [InlineData("""{"documentJobRetentionHours": "168"}""", "nlps.translator configuration: $.documentJobRetentionHours: ")]
    public async Task A_bad_retention_stops_the_agent_at_start_naming_the_key_and_removes_nothing(string configuration, string message)
    {
        await using var translator = await TranslatorUnderTest.StartAsync("""{"documentJobRetentionHours": 1}""");
        var jobId = await FinishedJobAsync(translator, "completed");
        await translator.StopAsync();
        translator.Time.Advance(TimeSpan.FromHours(2));

        translator.Configuration = JsonElement.Parse(configuration);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(translator.RestartAsync);
        translator.Configuration = JsonElement.Parse("""{"documentJobRetentionHours": 0}""");
        await translator.RestartAsync();

        Assert.StartsWith(message, refused.Message, StringComparison.Ordinal);
        Assert.Equal("completed", (await translator.CallAsync("translate_document_status", new { jobId })).GetProperty("state").GetString());
        Assert.True(File.Exists(SourcePath(translator, jobId)));
    }

    // Starts the document and waits until the job stops running; returns its id.
    private static async Task<string> FinishedJobAsync(TranslatorUnderTest translator, string state)
    {
        var jobId = (await translator.CallAsync("translate_document_start", Document)).GetProperty("jobId").GetString()!;
        var finished = await translator.CallAsync("translate_document_status", new { jobId, wait = true });
        Assert.Equal(state, finished.GetProperty("state").GetString());
        Assert.Equal(translator.Time.GetUtcNow(), finished.GetProperty("finished").GetDateTimeOffset());
        return jobId;
    }

    // One tick of the retention's timer, and the sweep it starts.
    private static async Task AdvanceOneHourAsync(TranslatorUnderTest translator)
    {
        var sweeps = translator.Logs.Count(Swept);
        translator.Time.Advance(DocumentJobRetention.SweepInterval);
        await translator.Logs.WaitForAsync(Swept, sweeps + 1);
    }

    private static async Task<AgentOperationException> StatusProblemAsync(TranslatorUnderTest translator, string jobId) =>
        await Assert.ThrowsAsync<AgentOperationException>(() => translator.CallAsync("translate_document_status", new { jobId }));

    private static string SourcePath(TranslatorUnderTest translator, string jobId) =>
        Path.Combine(translator.DataDirectory, "document-jobs", jobId + ".source");
}
