using Nlps.Agents.Analysis.Tests.Support;
using Nlps.Testing;

namespace Nlps.Agents.Analysis.Tests.EndToEnd;

/// <summary>The packed analysis agent in an in-process nlpsd with no model deployed, called over HTTP.</summary>
public sealed class AnalysisEndToEndTests
{
    private const string Article =
        "한국은행 금융통화위원회는 기준금리를 연 3.50%로 동결했다. 금융통화위원회는 물가 상승률이 둔화되고 있지만 기준금리 인하는 이르다고 판단했다. " +
        "오늘 서울의 날씨는 맑았다. 시장에서는 기준금리 동결이 대출 금리에 미칠 영향에 주목하고 있다.";

    [Fact]
    public async Task Offline_tasks_run_without_a_model_and_model_tasks_say_which_role_they_need()
    {
        using var folder = new TempFolder("nlps-analysis");
        await using var appliance = new AnalysisAppliance(folder.Combine("state"), new PackageFactory(folder.Path));
        using var client = appliance.CreateAdminClient();
        await appliance.InstallAsync(client);

        var (status, catalog) = await AnalysisAppliance.CallAsync(client, "tasks", new { });
        var (summaryStatus, summary) = await AnalysisAppliance.CallAsync(client, "run", new { task = "summarize_extractive", input = new { text = Article } });
        var (keywordStatus, keywords) = await AnalysisAppliance.CallAsync(client, "run", new { task = "keywords", input = new { text = Article } });
        var (modelStatus, problem) = await AnalysisAppliance.CallAsync(client, "run", new { task = "summarize", input = new { text = Article } });
        var (unknownStatus, unknown) = await AnalysisAppliance.CallAsync(client, "run", new { task = "translate", input = new { text = Article } });

        Assert.Equal(200, status);
        Assert.Contains(catalog.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("name").GetString() == "table_qa" && t.GetProperty("modelRole").GetString() == "chat");
        Assert.Equal(200, summaryStatus);
        Assert.Contains("기준금리", summary.GetProperty("output").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, summary.GetProperty("attempts").GetInt32());
        Assert.Equal(200, keywordStatus);
        Assert.Equal("기준금리", keywords.GetProperty("output").GetProperty("keywords")[0].GetString());
        Assert.Equal(503, modelStatus);
        Assert.Equal("model_unavailable", problem.GetProperty("code").GetString());
        Assert.Contains("chat", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(404, unknownStatus);
        Assert.Equal("task_not_found", unknown.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_batch_job_survives_a_restart_and_records_each_failure_beside_the_results()
    {
        using var folder = new TempFolder("nlps-analysis");
        var packages = new PackageFactory(folder.Path);
        var inputs = Enumerable.Range(1, 60).Select(i => (object)new { text = i % 20 == 0 ? " " : $"{i}번째 공지: 지점 {i}의 영업시간이 변경되었다. 영업시간 변경은 다음 달부터 적용된다." }).ToArray();
        string jobId;
        await using (var first = new AnalysisAppliance(folder.Combine("state"), packages))
        {
            using var client = first.CreateAdminClient();
            await first.InstallAsync(client);
            var (status, job) = await AnalysisAppliance.CallAsync(client, "batch", new { task = "keywords", inputs });
            Assert.Equal(200, status);
            jobId = job.GetProperty("jobId").GetString()!;
        }

        await using var second = new AnalysisAppliance(folder.Combine("state"), packages);
        using var again = second.CreateAdminClient();
        System.Text.Json.JsonElement done;
        do
        {
            (_, done) = await AnalysisAppliance.CallAsync(again, "batch_status", new { jobId });
            await Task.Yield();
        }
        while (done.GetProperty("state").GetString() == "running");

        Assert.Equal(57, done.GetProperty("done").GetInt32());
        Assert.Equal(3, done.GetProperty("failed").GetInt32());
        var items = done.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(60, items.Count);
        Assert.StartsWith("empty_input", items[19].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("영업시간", items[0].GetProperty("output").GetProperty("keywords")[0].GetString());
    }
}
