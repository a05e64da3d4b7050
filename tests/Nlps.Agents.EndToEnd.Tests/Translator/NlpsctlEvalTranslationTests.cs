using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Nlps.Testing;
using Nlps.Testing.Models;
using Xunit.Abstractions;

namespace Nlps.Agents.EndToEnd.Tests.Translator;

/// <summary><c>nlpsctl eval translation</c> against a real nlpsd with the packed translator and a tiny random model on the CPU engine.</summary>
public sealed class NlpsctlEvalTranslationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Eval_translation_scores_each_pair_and_the_set_with_and_without_memory_and_counts_mandated_terms()
    {
        using var work = new TempFolder("nlps-eval-translation");
        var packages = new PackageFactory(work.Path);
        using var model = TinyModel.Create(TinyModelSpec.Llama3 with { MaxPositions = 4096 });
        // A deployment must name a stored model at start: the first run installs the agent and imports the model.
        var trusted = "--Plugins:TrustedKeyFiles:0=" + packages.WriteTrustedKeyFile();
        await using (var first = await NlpsdProcess.StartAsync(work.Combine("state"), trusted))
        {
            using var http = first.CreateAdminClient();
            using var package = new ByteArrayContent(await File.ReadAllBytesAsync(await packages.BuildFirstPartyAsync("Nlps.Agents.Translator")));
            package.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var installed = await http.PostAsync(new Uri("/v1/admin/plugins", UriKind.Relative), package);
            Assert.Equal(HttpStatusCode.Created, installed.StatusCode);
            await NlpsctlAsync(["models", "import", model.Folder, "--id", "tiny-llama", .. Connection(first, work)]);
            var glossary = JsonSerializer.Serialize(new { format = "json", content = """{"금융실명제": "real-name financial transaction system", "외국환거래법": "Foreign Exchange Transactions Act"}""" });
            await NlpsctlAsync(["agents", "call", "nlps.translator", "glossary_import", glossary, .. Connection(first, work)]);
            Assert.Equal(0, (await first.TerminateAsync()).ExitCode);
        }

        await using var nlpsd = await NlpsdProcess.StartAsync(work.Combine("state"), trusted, "--Models:Deployments:tiny:Model=tiny-llama", "--Models:Deployments:tiny:Roles:0=chat", "--Models:Deployments:tiny:Threads=1");
        var connection = Connection(nlpsd, work);
        var pairs = work.Combine("pairs.tsv");
        await File.WriteAllTextAsync(pairs, """
            # source	reference
            금융실명제는 1993년에 시행되었다.	The real-name financial transaction system was introduced in 1993.
            외국환거래법 위반은 120건이었다.	Violations of the Foreign Exchange Transactions Act numbered 120.
            주가가 3.5% 상승했다.	The share price rose 3.5%.
            """);

        var table = await NlpsctlAsync(["eval", "translation", "--pairs", pairs, "--compare-without-memory", .. connection]);
        var json = await NlpsctlAsync(["eval", "translation", "--pairs", pairs, "--json", .. connection]);

        output.WriteLine(table.StandardOutput);
        var lines = table.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("TERMS (configured)", lines[0], StringComparison.Ordinal);
        Assert.Contains("BLEU (without-memory)", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^2\s+금융실명제는 1993년에 시행되었다\.\s+[01]/1\s", lines[1]);
        Assert.Matches(@"^4\s+주가가 3\.5% 상승했다\.\s+0/0\s", lines[3]);
        Assert.StartsWith("configured: chrF++ ", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("without-memory: chrF++ ", lines[5], StringComparison.Ordinal);

        // A random model writes nonsense, so the scores are low; what is checked is that they are computed per pair and overall.
        var run = JsonDocument.Parse(json.StandardOutput).RootElement.EnumerateArray().Single();
        Assert.Equal(2, run.GetProperty("termsMandated").GetInt32());
        Assert.InRange(run.GetProperty("bleu").GetDouble(), 0, 100);
        Assert.InRange(run.GetProperty("chrfPlusPlus").GetDouble(), 0, 100);
        var segments = run.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal([2, 3, 4], segments.Select(s => s.GetProperty("line").GetInt32()));
        Assert.Equal([1, 1, 0], segments.Select(s => s.GetProperty("termsMandated").GetInt32()));
        Assert.All(segments, s => Assert.Equal(s.GetProperty("termsMandated").GetInt32() - s.GetProperty("termsSatisfied").GetInt32(), s.GetProperty("missingTerms").GetArrayLength()));

        // A markdown document through translate_document: a progress event per Korean piece, then the document with
        // its markup in place.
        var request = work.Combine("document.json");
        var markdown = "# 금융실명제 안내\n\n| 법률 | 시행 |\n|---|---|\n| 외국환거래법 | 1999 |\n";
        await File.WriteAllTextAsync(request, JsonSerializer.Serialize(new { name = "안내.md", contentBase64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(markdown)) }));
        var streamed = await NlpsctlAsync(["agents", "call", "nlps.translator", "translate_document", "--file", request, .. connection]);
        var events = streamed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["progress", "progress", "progress", "progress", "document"], events.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal([1, 2, 3, 4], events.SkipLast(1).Select(e => e.GetProperty("done").GetInt32()));
        var translated = events[^1].GetProperty("document");
        var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(translated.GetProperty("contentBase64").GetString()!));
        Assert.StartsWith("# ", text, StringComparison.Ordinal);
        Assert.Contains("\n|---|---|\n", text, StringComparison.Ordinal);
        Assert.Contains(" | 1999 |", text, StringComparison.Ordinal);
        Assert.Equal(2, translated.GetProperty("compliance").GetProperty("mandated").GetInt32());

        // The same document as a stored job, followed by nlpsctl until it ends, then its result.
        var followed = await NlpsctlAsync(["agents", "call", "nlps.translator", "translate_document_start", "--file", request, "--watch", "translate_document_status", "--cancel", "translate_document_cancel", .. connection]);
        var job = JsonDocument.Parse(followed.StandardOutput).RootElement;
        Assert.Equal("completed", job.GetProperty("state").GetString());
        Assert.Equal(4, job.GetProperty("processed").GetInt32());
        var jobResult = await NlpsctlAsync(["agents", "call", "nlps.translator", "translate_document_result", JsonSerializer.Serialize(new { jobId = job.GetProperty("jobId").GetString() }), .. connection]);
        var jobText = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(JsonDocument.Parse(jobResult.StandardOutput).RootElement.GetProperty("contentBase64").GetString()!));
        Assert.Contains("\n|---|---|\n", jobText, StringComparison.Ordinal);

        await File.WriteAllTextAsync(pairs, "금융실명제는 1993년에 시행되었다.\n");
        var bad = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["eval", "translation", "--pairs", pairs, .. connection], guard: Guard);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("error: invalid_pairs: line 1: expected a source and a reference separated by one tab", bad.StandardError, StringComparison.Ordinal);
    }

    private static string[] Connection(NlpsdProcess nlpsd, TempFolder work) => ["--url", nlpsd.BaseAddress.ToString(), "--token-file", work.Combine("state", "admin.token")];

    private static async Task<ProcessResult> NlpsctlAsync(string[] arguments) =>
        (await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, arguments, guard: Guard)).EnsureSuccess("nlpsctl " + string.Join(' ', arguments.Take(3)));
}
