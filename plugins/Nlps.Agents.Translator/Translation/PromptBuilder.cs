using System.Text;
using Microsoft.Extensions.AI;

namespace Nlps.Agents.Translator.Translation;

/// <summary>
/// The prompts. A batch prompt numbers the segments <c>[1]..[n]</c> and asks for the same numbering back, one line
/// each; it lists the mandated terms of every segment in the batch and the memory examples (deduplicated). The
/// retry prompt is for one segment that missed terms and names exactly those.
/// </summary>
internal static class PromptBuilder
{
    private const string Instructions =
        "You are a professional translator of Korean financial and regulatory documents into English.\n" +
        "Rules:\n" +
        "1. Where a mandated term list is given, translate each Korean term with exactly the English term given.\n" +
        "2. Copy every number, date, percentage and amount exactly; do not round or convert units.\n" +
        "3. Translate faithfully; add no explanations.\n";

    public static List<ChatMessage> Batch(IReadOnlyList<SegmentWork> batch)
    {
        var system = new StringBuilder(Instructions)
            .Append("4. The input has numbered segments [1] to [").Append(batch.Count)
            .Append("]. Answer with exactly one line per segment, in order, starting with its number in brackets, and nothing else.\n");
        var user = new StringBuilder();
        AppendTerms(user, batch.SelectMany(w => w.Terms).DistinctBy(t => t.Korean));
        AppendExamples(user, batch.SelectMany(w => w.Examples).DistinctBy(e => e.Id));
        user.Append("Segments:\n");
        for (var i = 0; i < batch.Count; i++)
        {
            user.Append('[').Append(i + 1).Append("] ").Append(OneLine(batch[i].Segment.Text)).Append('\n');
        }

        return [new ChatMessage(ChatRole.System, system.ToString()), new ChatMessage(ChatRole.User, user.ToString())];
    }

    public static List<ChatMessage> Single(SegmentWork work) =>
    [
        new ChatMessage(ChatRole.System, Instructions + "4. Answer with the English translation only.\n"),
        new ChatMessage(ChatRole.User, Terms(work.Terms) + Examples(work.Examples) + "Korean:\n" + work.Segment.Text + "\n"),
    ];

    public static List<ChatMessage> Retry(SegmentWork work, IReadOnlyList<Contracts.AppliedTerm> missing, string previous)
    {
        var user = new StringBuilder(Terms(work.Terms))
            .Append("Korean:\n").Append(work.Segment.Text).Append("\n\n")
            .Append("A previous translation was:\n").Append(previous).Append("\n\n")
            .Append("It does not use these mandated terms. The new translation MUST contain each of them exactly:\n");
        foreach (var term in missing)
        {
            user.Append("- ").Append(term.English).Append('\n');
        }

        return [new ChatMessage(ChatRole.System, Instructions + "4. Answer with the corrected English translation only.\n"), new ChatMessage(ChatRole.User, user.ToString())];
    }

    private static string Terms(IEnumerable<Contracts.AppliedTerm> terms)
    {
        var builder = new StringBuilder();
        AppendTerms(builder, terms);
        return builder.ToString();
    }

    private static string Examples(IEnumerable<Contracts.MemoryHit> examples)
    {
        var builder = new StringBuilder();
        AppendExamples(builder, examples);
        return builder.ToString();
    }

    private static void AppendTerms(StringBuilder builder, IEnumerable<Contracts.AppliedTerm> terms)
    {
        var first = true;
        foreach (var term in terms)
        {
            builder.Append(first ? "Mandated terms (Korean => English):\n" : string.Empty).Append("- ").Append(term.Korean).Append(" => ").Append(term.English).Append('\n');
            first = false;
        }

        builder.Append(first ? string.Empty : "\n");
    }

    private static void AppendExamples(StringBuilder builder, IEnumerable<Contracts.MemoryHit> examples)
    {
        var first = true;
        foreach (var example in examples)
        {
            builder.Append(first ? "Approved translations of similar sentences:\n" : string.Empty)
                .Append("Korean: ").Append(OneLine(example.Source)).Append('\n')
                .Append("English: ").Append(OneLine(example.Target)).Append('\n');
            first = false;
        }

        builder.Append(first ? string.Empty : "\n");
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
