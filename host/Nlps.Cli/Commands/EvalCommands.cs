using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Nlps.Cli.Client;
using Nlps.Cli.Evaluation;
using Nlps.Cli.Output;

namespace Nlps.Cli.Commands;

/// <summary>
/// <c>nlpsctl eval retrieval</c>: the chatbot's search measured on a question set, every retriever side by side.
/// <c>nlpsctl eval translation</c>: the translator measured on source/reference pairs (chrF++, BLEU, mandated-term use),
/// per segment and overall, optionally beside the same run without translation-memory examples.
/// </summary>
internal static class EvalCommands
{
    private static readonly string[] Modes = ["bm25", "dense", "hybrid"];

    public static Command Create(GlobalOptions global)
    {
        var eval = new Command("eval", "Measure agents on evaluation sets");
        eval.Subcommands.Add(Retrieval(global));
        eval.Subcommands.Add(Translation(global));
        return eval;
    }

    private static Command Retrieval(GlobalOptions global)
    {
        var kb = new Option<string>("--kb") { Description = "The knowledge base to search", Required = true };
        var queries = new Option<FileInfo>("--queries", "--questions") { Description = "JSON Lines, one {\"query\": …, \"gold_passage_ids\": […]} per line", Required = true };
        var agent = new Option<string>("--agent") { Description = "The chatbot agent's id", DefaultValueFactory = _ => "nlps.chatbot" };
        var expand = new Option<bool>("--expand") { Description = "Expand BM25 queries with the keyword graph agent" };
        var command = new Command("retrieval", "Recall@1/5/10 and MRR of bm25, dense and hybrid search side by side") { kb, queries, agent, expand };
        command.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            var file = result.GetValue(queries)!;
            if (!file.Exists)
            {
                throw new AdminApiException("invalid_questions", $"{file.FullName} does not exist", exitCode: 2);
            }

            IReadOnlyList<RetrievalQuestion> questions;
            using (var reader = file.OpenText())
            {
                questions = RetrievalQuestion.ReadAll(reader);
            }

            var path = $"/v1/agents/{Uri.EscapeDataString(result.GetValue(agent)!)}/search";
            var outcomes = new List<(string Mode, RetrievalScores? Scores, string? Unavailable)>();
            foreach (var mode in Modes)
            {
                outcomes.Add(await EvaluateAsync(client, path, result.GetValue(kb)!, mode, result.GetValue(expand), questions, ct));
            }

            if (result.GetValue(global.Json))
            {
                Console.WriteLine(JsonOutput.Format(JsonSerializer.SerializeToElement(outcomes.Select(o => new Dictionary<string, object?>
                {
                    ["mode"] = o.Mode,
                    ["queries"] = o.Scores?.Queries,
                    ["recallAt1"] = o.Scores?.Recall(1),
                    ["recallAt5"] = o.Scores?.Recall(5),
                    ["recallAt10"] = o.Scores?.Recall(10),
                    ["mrr"] = o.Scores?.MeanReciprocalRank,
                    ["unavailable"] = o.Unavailable,
                }))));
                return 0;
            }

            Table.Write(Console.Out, ["MODE", "QUERIES", "RECALL@1", "RECALL@5", "RECALL@10", "MRR", "NOTE"], outcomes.Select(o => o.Scores is { } s
                ? new[] { o.Mode, s.Queries.ToString(CultureInfo.InvariantCulture), Score(s.Recall(1)), Score(s.Recall(5)), Score(s.Recall(10)), Score(s.MeanReciprocalRank), string.Empty }
                : [o.Mode, "-", "-", "-", "-", "-", o.Unavailable!]));
            return 0;
        }));
        return command;
    }

    // One mode over every question; a mode the appliance cannot run (no embedding model, a silent fallback) is
    // reported as unavailable with the reason rather than scored.
    private static async Task<(string, RetrievalScores?, string?)> EvaluateAsync(AdminClient client, string path, string kb, string mode, bool expand, IReadOnlyList<RetrievalQuestion> questions, CancellationToken cancellationToken)
    {
        var scores = new RetrievalScores();
        foreach (var question in questions)
        {
            JsonElement found;
            try
            {
                var request = JsonSerializer.Serialize(new Dictionary<string, object> { ["kb"] = kb, ["query"] = question.Query, ["mode"] = mode, ["limit"] = RetrievalScores.Cutoffs[^1], ["expand"] = expand });
                found = await client.PostJsonAsync(path, request, cancellationToken);
            }
            catch (AdminApiException ex) when (ex.Code is "model_unavailable" or "dense_index_missing")
            {
                return (mode, null, $"{ex.Code}: {ex.Message}");
            }

            if (found.GetProperty("mode").GetString() != mode)
            {
                return (mode, null, $"fell back to {found.GetProperty("mode").GetString()}: {string.Join("; ", found.GetProperty("notes").EnumerateArray().Select(n => n.GetString()))}");
            }

            scores.Add(question.GoldPassageIds, found.GetProperty("passages").EnumerateArray().Select(p => p.GetProperty("passageId").GetString()!).ToList());
        }

        return (mode, scores, null);
    }

    private static Command Translation(GlobalOptions global)
    {
        var pairs = new Option<FileInfo>("--pairs") { Description = "TSV: a Korean source and an English reference per line", Required = true };
        var agent = new Option<string>("--agent") { Description = "The translator agent's id", DefaultValueFactory = _ => "nlps.translator" };
        var compare = new Option<bool>("--compare-without-memory") { Description = "Also translate without translation-memory examples and show both side by side" };
        var command = new Command("translation", "chrF++, BLEU and mandated-term use of the translator's output against references") { pairs, agent, compare };
        command.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            var file = result.GetValue(pairs)!;
            if (!file.Exists)
            {
                throw new AdminApiException("invalid_pairs", $"{file.FullName} does not exist", exitCode: 2);
            }

            IReadOnlyList<TranslationPair> set;
            using (var reader = file.OpenText())
            {
                set = TranslationPair.ReadAll(reader);
            }

            var path = $"/v1/agents/{Uri.EscapeDataString(result.GetValue(agent)!)}/translate";
            var runs = new List<TranslationRun> { await TranslationRun.RunAsync("configured", client, path, set, examples: null, ct) };
            if (result.GetValue(compare))
            {
                runs.Add(await TranslationRun.RunAsync("without-memory", client, path, set, examples: 0, ct));
            }

            if (result.GetValue(global.Json))
            {
                Console.WriteLine(JsonOutput.Format(JsonSerializer.SerializeToElement(runs.Select(r => r.ToJson()))));
                return 0;
            }

            string[] columns = ["TERMS", "CHRF++", "BLEU"];
            var headers = new List<string> { "LINE", "SOURCE" };
            headers.AddRange(runs.Count == 1 ? columns : runs.SelectMany(r => columns.Select(c => $"{c} ({r.Name})")));
            Table.Write(Console.Out, headers, set.Select((pair, i) => new[] { pair.Line.ToString(CultureInfo.InvariantCulture), Shorten(pair.Source) }
                .Concat(runs.SelectMany(r => r.Segments[i].Cells()))
                .ToArray()));
            foreach (var run in runs)
            {
                Console.WriteLine(run.Summary());
            }

            return 0;
        }));
        return command;
    }

    private static string Shorten(string text) => text.Length <= 24 ? text : text[..23] + "…";

    private static string Score(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
