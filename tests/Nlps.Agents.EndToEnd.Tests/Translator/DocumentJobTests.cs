using System.Net;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Nlps.Agents.EndToEnd.Tests.Support;
using Nlps.Agents.TestModels;
using Nlps.Testing;

namespace Nlps.Agents.EndToEnd.Tests.Translator;

public sealed class DocumentJobTests
{
    private const string Project = "Nlps.Agents.Translator";
    private const string Agent = "nlps.translator";
    private const string Glossary = """{"금융실명제": "real-name financial transaction system", "외국환거래법": "Foreign Exchange Transactions Act"}""";

    // Six Korean pieces. One segment per model call (batchSize 1, no retry, no examples), so calls count segments.
    private const string Markdown = "# 금융실명제 안내\n\n금융실명제는 1993년에 시행되었다.\n외국환거래법은 1999년에 제정되었다.\n\n| 법률 | 시행 |\n|---|---|\n| 외국환거래법 | 1999 |\n";
    private static readonly Dictionary<string, string?> OneSegmentPerCall = new() { ["Agents:nlps.translator:batchSize"] = "1" };
    private static readonly object Request = new { name = "안내.md", contentBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Markdown)), examples = 0, retry = false };

    [Fact]
    public async Task A_job_interrupted_by_an_nlpsd_restart_resumes_without_translating_finished_segments_again()
    {
        var (reference, referenceCalls) = await UninterruptedRunAsync();
        Assert.Equal(6, referenceCalls);

        using var state = new TempFolder("nlps-translator-jobs");
        var before = new GatedChatClient(ScriptedChatClient.Obedient(), passingCalls: 3);
        string jobId;
        await using (var first = new AgentAppliance(new TestModelRoles(before, embed: null), OneSegmentPerCall, state))
        {
            using var client = await first.InstallAsync(Project);
            await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "json", content = Glossary });
            var (status, started) = await AgentAppliance.CallAsync(client, Agent, "translate_document_start", Request);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(6, started.GetProperty("total").GetInt32());
            jobId = started.GetProperty("jobId").GetString()!;

            await before.Held.WaitAsync(TimeSpan.FromMinutes(2));
            var (_, midway) = await AgentAppliance.CallAsync(client, Agent, "translate_document_status", new { jobId });
            Assert.Equal("running", midway.GetProperty("state").GetString());
            Assert.Equal(3, midway.GetProperty("processed").GetInt32());
        }

        // nlpsd stopped with the fourth segment's model call in flight; the restarted one resumes the job by itself.
        var after = new GatedChatClient(ScriptedChatClient.Obedient());
        await using var second = new AgentAppliance(new TestModelRoles(after, embed: null), OneSegmentPerCall, state);
        using var again = second.CreateAdminClient();
        var (_, finished) = await AgentAppliance.CallAsync(again, Agent, "translate_document_status", new { jobId, wait = true });
        var (resultStatus, result) = await AgentAppliance.CallAsync(again, Agent, "translate_document_result", new { jobId });

        Assert.Equal("completed", finished.GetProperty("state").GetString());
        Assert.Equal(6, finished.GetProperty("processed").GetInt32());
        Assert.Equal(4, before.Calls);
        Assert.Equal(3, after.Calls);
        Assert.Equal(HttpStatusCode.OK, resultStatus);
        Assert.Equal(reference.GetProperty("contentBase64").GetString(), result.GetProperty("contentBase64").GetString());
        Assert.Equal(reference.GetProperty("segments").GetRawText(), result.GetProperty("segments").GetRawText());
        Assert.Equal(reference.GetProperty("compliance").GetRawText(), result.GetProperty("compliance").GetRawText());
        Assert.Contains("real-name financial transaction system", Encoding.UTF8.GetString(Convert.FromBase64String(result.GetProperty("contentBase64").GetString()!)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_job_keeps_its_segments_and_starting_the_same_document_again_finishes_it()
    {
        var chat = new GatedChatClient(ScriptedChatClient.Obedient(), passingCalls: 2);
        await using var appliance = new AgentAppliance(new TestModelRoles(chat, embed: null), OneSegmentPerCall);
        using var client = await appliance.InstallAsync(Project);
        var (_, started) = await AgentAppliance.CallAsync(client, Agent, "translate_document_start", Request);
        var jobId = started.GetProperty("jobId").GetString()!;
        await chat.Held.WaitAsync(TimeSpan.FromMinutes(2));

        var (_, cancelled) = await AgentAppliance.CallAsync(client, Agent, "translate_document_cancel", new { jobId });
        var (early, earlyProblem) = await AgentAppliance.CallAsync(client, Agent, "translate_document_result", new { jobId });
        chat.Open();
        var (_, resumed) = await AgentAppliance.CallAsync(client, Agent, "translate_document_start", Request);
        var (_, finished) = await AgentAppliance.CallAsync(client, Agent, "translate_document_status", new { jobId, wait = true });
        var (resultStatus, _) = await AgentAppliance.CallAsync(client, Agent, "translate_document_result", new { jobId });

        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
        Assert.Equal(2, cancelled.GetProperty("processed").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, early);
        Assert.Equal("job_not_completed", earlyProblem.GetProperty("code").GetString());
        Assert.Contains("is cancelled (2 of 6 segments)", earlyProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(jobId, resumed.GetProperty("jobId").GetString());
        Assert.Equal("running", resumed.GetProperty("state").GetString());
        Assert.Equal("completed", finished.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, resultStatus);
        Assert.Equal(2 + 1 + 4, chat.Calls); // two kept, the cancelled call, the four still to do

        var (_, deleted) = await AgentAppliance.CallAsync(client, Agent, "translate_document_delete", new { jobId });
        var (gone, goneProblem) = await AgentAppliance.CallAsync(client, Agent, "translate_document_status", new { jobId });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.Equal("job_not_found", goneProblem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_job_whose_model_call_fails_is_marked_failed_with_the_reason_and_resumes_when_started_again()
    {
        var chat = new GatedChatClient(ScriptedChatClient.Obedient(), failingCall: 3);
        await using var appliance = new AgentAppliance(new TestModelRoles(chat, embed: null), OneSegmentPerCall);
        using var client = await appliance.InstallAsync(Project);
        var (_, started) = await AgentAppliance.CallAsync(client, Agent, "translate_document_start", Request);
        var jobId = started.GetProperty("jobId").GetString()!;

        var (_, failed) = await AgentAppliance.CallAsync(client, Agent, "translate_document_status", new { jobId, wait = true });
        var (_, resumed) = await AgentAppliance.CallAsync(client, Agent, "translate_document_start", Request);
        var (_, finished) = await AgentAppliance.CallAsync(client, Agent, "translate_document_status", new { jobId, wait = true });

        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Equal(2, failed.GetProperty("processed").GetInt32());
        Assert.Equal("HttpRequestException: the model engine went away", failed.GetProperty("error").GetString());
        Assert.Equal(jobId, resumed.GetProperty("jobId").GetString());
        Assert.Equal("completed", finished.GetProperty("state").GetString());
        Assert.False(finished.TryGetProperty("error", out _));
        Assert.Equal(2 + 1 + 4, chat.Calls);
    }

    [Fact]
    public async Task An_xlsx_job_translates_text_cells_and_keeps_numbers_and_formulas()
    {
        var chat = new GatedChatClient(ScriptedChatClient.Obedient());
        await using var appliance = new AgentAppliance(new TestModelRoles(chat, embed: null));
        using var client = await appliance.InstallAsync(Project);
        await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "json", content = Glossary });
        var workbook = Xlsx.Build(("금융실명제", "1993"), ("외국환거래법 위반", "120"));

        var (_, started) = await AgentAppliance.CallAsync(client, Agent, "translate_document_start", new { name = "위반.xlsx", contentBase64 = Convert.ToBase64String(workbook), examples = 0 });
        var jobId = started.GetProperty("jobId").GetString()!;
        var (_, finished) = await AgentAppliance.CallAsync(client, Agent, "translate_document_status", new { jobId, wait = true });
        var (_, result) = await AgentAppliance.CallAsync(client, Agent, "translate_document_result", new { jobId });

        Assert.Equal("completed", finished.GetProperty("state").GetString());
        Assert.Equal(2, finished.GetProperty("total").GetInt32());
        using var translated = SpreadsheetDocument.Open(new MemoryStream(Convert.FromBase64String(result.GetProperty("contentBase64").GetString()!)), isEditable: false);
        var cells = translated.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Cell>().Select(c => c.InlineString?.InnerText).ToList();
        Assert.Equal(["real-name financial transaction system", "1993", "Foreign Exchange Transactions Act 위반", "120"], cells);
        Assert.Equal(1.0, result.GetProperty("compliance").GetProperty("rate").GetDouble());
    }

    [Fact]
    public async Task Bad_documents_are_refused_at_start_with_clear_problems_and_no_job()
    {
        var settings = new Dictionary<string, string?> { ["Agents:nlps.translator:maxDocumentBytes"] = "4000" };
        await using var appliance = new AgentAppliance(new TestModelRoles(new GatedChatClient(ScriptedChatClient.Obedient()), embed: null), settings);
        using var client = await appliance.InstallAsync(Project);
        var big = Xlsx.Build([.. Enumerable.Range(0, 3000).Select(i => ($"항목 {i}", $"금액 {i * 7919}"))]);
        using var empty = new MemoryStream();
        using (var created = SpreadsheetDocument.Create(empty, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            created.AddWorkbookPart().Workbook = new Workbook(new Sheets());
        }

        var (notXlsx, notXlsxProblem) = await AgentAppliance.CallAsync(client, Agent, "translate_document_start", new { name = "보고서.xlsx", contentBase64 = Convert.ToBase64String("엑셀 아님"u8.ToArray()) });
        var (blank, blankProblem) = await AgentAppliance.CallAsync(client, Agent, "translate_document_start", new { name = "빈파일.xlsx", contentBase64 = Convert.ToBase64String(empty.ToArray()) });
        var (tooBig, tooBigProblem) = await AgentAppliance.CallAsync(client, Agent, "translate_document_start", new { name = "큰파일.xlsx", contentBase64 = Convert.ToBase64String(big) });
        var (unknown, unknownProblem) = await AgentAppliance.CallAsync(client, Agent, "translate_document_status", new { jobId = "없는-작업" });

        Assert.Equal(HttpStatusCode.BadRequest, notXlsx);
        Assert.Equal("invalid_document", notXlsxProblem.GetProperty("code").GetString());
        Assert.StartsWith("보고서.xlsx: not a readable .xlsx", notXlsxProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, blank);
        Assert.Equal("document_empty", blankProblem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig);
        Assert.Equal("document_too_large", tooBigProblem.GetProperty("code").GetString());
        Assert.StartsWith("큰파일.xlsx", tooBigProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("job_not_found", unknownProblem.GetProperty("code").GetString());
    }

    private static async Task<(JsonElement Result, int Calls)> UninterruptedRunAsync()
    {
        var chat = new GatedChatClient(ScriptedChatClient.Obedient());
        await using var appliance = new AgentAppliance(new TestModelRoles(chat, embed: null), OneSegmentPerCall);
        using var client = await appliance.InstallAsync(Project);
        await AgentAppliance.CallAsync(client, Agent, "glossary_import", new { format = "json", content = Glossary });
        var (_, started) = await AgentAppliance.CallAsync(client, Agent, "translate_document_start", Request);
        var jobId = started.GetProperty("jobId").GetString()!;
        var (_, finished) = await AgentAppliance.CallAsync(client, Agent, "translate_document_status", new { jobId, wait = true });
        Assert.Equal("completed", finished.GetProperty("state").GetString());
        var (_, result) = await AgentAppliance.CallAsync(client, Agent, "translate_document_result", new { jobId });
        return (result, chat.Calls);
    }
}
