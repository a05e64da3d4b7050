using System.Globalization;
using System.Text.Json;
using Nlps.Cli.Client;

namespace Nlps.Cli.Evaluation;

/// <summary>One configuration of the translator run over every pair: per-segment and corpus chrF++ and BLEU, and the use of mandated glossary terms from the agent's compliance report.</summary>
internal sealed class TranslationRun
{
    private readonly BleuScore bleu = new();
    private readonly ChrfScore chrf = new();

    private TranslationRun(string name) => Name = name;

    public string Name { get; }

    public List<TranslatedSegment> Segments { get; } = [];

    public static async Task<TranslationRun> RunAsync(string name, AdminClient client, string path, IReadOnlyList<TranslationPair> pairs, int? examples, CancellationToken cancellationToken)
    {
        var run = new TranslationRun(name);
        foreach (var pair in pairs)
        {
            var request = new Dictionary<string, object> { ["text"] = pair.Source };
            if (examples is { } count)
            {
                request["examples"] = count;
            }

            var response = await client.PostJsonAsync(path, JsonSerializer.Serialize(request), cancellationToken);
            var translation = response.GetProperty("translation").GetString() ?? string.Empty;
            var compliance = response.GetProperty("compliance");
            run.bleu.Add(translation, [pair.Reference]);
            run.chrf.Add(translation, [pair.Reference]);
            run.Segments.Add(new TranslatedSegment(
                pair,
                translation,
                BleuScore.Sentence(translation, [pair.Reference]),
                ChrfScore.Sentence(translation, [pair.Reference]),
                compliance.GetProperty("mandated").GetInt32(),
                compliance.GetProperty("satisfied").GetInt32(),
                compliance.GetProperty("missing").EnumerateArray().Select(m => $"{m.GetProperty("korean").GetString()} → {m.GetProperty("english").GetString()}").ToList()));
        }

        return run;
    }

    public int Mandated => Segments.Sum(s => s.Mandated);

    public int Satisfied => Segments.Sum(s => s.Satisfied);

    public string Summary() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name}: chrF++ {chrf.Score():0.00}  BLEU {bleu.Score():0.00}  terms {Satisfied}/{Mandated} ({(Mandated == 0 ? 100 : 100.0 * Satisfied / Mandated):0.0}%), every mandated term used in {Segments.Count(s => s.Satisfied == s.Mandated)}/{Segments.Count} segments");

    public Dictionary<string, object?> ToJson() => new()
    {
        ["configuration"] = Name,
        ["chrfPlusPlus"] = chrf.Score(),
        ["bleu"] = bleu.Score(),
        ["termsMandated"] = Mandated,
        ["termsSatisfied"] = Satisfied,
        ["segmentsUsingEveryTerm"] = Segments.Count(s => s.Satisfied == s.Mandated),
        ["segments"] = Segments.Select(s => new Dictionary<string, object?>
        {
            ["line"] = s.Pair.Line,
            ["source"] = s.Pair.Source,
            ["reference"] = s.Pair.Reference,
            ["translation"] = s.Translation,
            ["chrfPlusPlus"] = s.Chrf,
            ["bleu"] = s.Bleu,
            ["termsMandated"] = s.Mandated,
            ["termsSatisfied"] = s.Satisfied,
            ["missingTerms"] = s.Missing,
        }).ToList(),
    };
}
