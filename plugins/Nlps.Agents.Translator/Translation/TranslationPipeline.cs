using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Nlps.Agents.Text.Segmentation;
using Nlps.Agents.Translator.Contracts;
using Nlps.Agents.Translator.Glossary;
using Nlps.Agents.Translator.Memory;

namespace Nlps.Agents.Translator.Translation;

/// <summary>
/// Translates a text: segments it, finds each segment's mandated terms and memory examples, asks the chat model for a
/// batch of segments at a time (one call per segment when a batch reply cannot be read), checks every output for
/// mandated terms and numbers, and retries once, constrained, the segments that miss terms.
/// </summary>
internal sealed class TranslationPipeline(GlossaryIndex glossary, TranslationMemory memory, int batchSize)
{
    private static readonly ChatOptions Deterministic = new() { Temperature = 0f };

    // embed is null to translate without memory examples.
    public async IAsyncEnumerable<SegmentTranslation> TranslateAsync(
        IReadOnlyList<TextSegment> segments,
        IChatClient chat,
        IEmbeddingGenerator<string, Embedding<float>>? embed,
        int examples,
        bool retry,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var start = 0; start < segments.Count; start += batchSize)
        {
            var batch = new List<SegmentWork>();
            foreach (var segment in segments.Skip(start).Take(batchSize))
            {
                var hits = embed is null || examples <= 0 ? [] : await memory.SearchAsync(embed, segment.Text, examples, cancellationToken).ConfigureAwait(false);
                batch.Add(new SegmentWork(segment, TermsIn(segment.Text), hits));
            }

            var outputs = await TranslateBatchAsync(chat, batch, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                yield return await CheckAsync(chat, batch[i], outputs[i], retry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Puts the segments back together and writes the compliance report.</summary>
    public static TranslateResponse Summarize(IReadOnlyList<TextSegment> segments, IReadOnlyList<SegmentTranslation> done, string memoryStatus)
    {
        var text = string.Concat(done.Select(s => s.Translation + segments[s.Index].Separator));
        var mandated = done.Sum(s => s.Terms.Count);
        var missing = done.SelectMany(s => s.MissingTerms.Select(t => new MissingTerm(s.Index, t.Korean, t.English))).ToList();
        var rate = mandated == 0 ? 1.0 : (double)(mandated - missing.Count) / mandated;
        var applied = done.SelectMany(s => s.Terms).DistinctBy(t => t.Korean).ToList();
        return new TranslateResponse(text, done, applied, new ComplianceReport(mandated, mandated - missing.Count, Math.Round(rate, 4), missing), memoryStatus);
    }

    /// <summary>The translated document: <paramref name="document"/> written with the translations, the alignment and the report.</summary>
    public static TranslatedDocument Document(string name, Documents.TranslatableDocument document, IReadOnlyList<SegmentTranslation> done, string memoryStatus)
    {
        var summary = Summarize(document.Segments, done, memoryStatus);
        var translated = document.Write([.. done.Select(s => s.Translation)]);
        return new TranslatedDocument(name, Convert.ToBase64String(translated), summary.Segments, summary.Compliance, summary.Memory);
    }

    private IReadOnlyList<AppliedTerm> TermsIn(string text) =>
        [.. glossary.FindKorean(text).Select(m => new AppliedTerm(m.Entry.Korean, m.Entry.English)).DistinctBy(t => t.Korean)];

    private static async Task<string[]> TranslateBatchAsync(IChatClient chat, List<SegmentWork> batch, CancellationToken cancellationToken)
    {
        if (batch.Count > 1)
        {
            var reply = await chat.GetResponseAsync(PromptBuilder.Batch(batch), Deterministic, cancellationToken).ConfigureAwait(false);
            if (BatchReplyParser.Parse(reply.Text, batch.Count) is { } parsed)
            {
                return parsed;
            }
        }

        var outputs = new string[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var reply = await chat.GetResponseAsync(PromptBuilder.Single(batch[i]), Deterministic, cancellationToken).ConfigureAwait(false);
            outputs[i] = reply.Text.Trim();
        }

        return outputs;
    }

    private static async Task<SegmentTranslation> CheckAsync(IChatClient chat, SegmentWork work, string output, bool retry, CancellationToken cancellationToken)
    {
        var missing = OutputChecks.MissingTerms(work.Terms, output);
        var retried = false;
        if (retry && missing.Count > 0)
        {
            retried = true;
            var reply = await chat.GetResponseAsync(PromptBuilder.Retry(work, missing, output), Deterministic, cancellationToken).ConfigureAwait(false);
            var second = reply.Text.Trim();
            var secondMissing = OutputChecks.MissingTerms(work.Terms, second);
            if (second.Length > 0 && secondMissing.Count < missing.Count)
            {
                (output, missing) = (second, secondMissing);
            }
        }

        return new SegmentTranslation(
            work.Segment.Index,
            work.Segment.Start,
            work.Segment.Text,
            output,
            work.Terms,
            missing,
            OutputChecks.MissingNumbers(work.Segment.Text, output),
            [.. work.Examples.Select(e => e.Id)],
            retried);
    }
}
