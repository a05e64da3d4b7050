using Nlps.Agents.Text.Segmentation;

namespace Nlps.Agents.Translator.Documents;

/// <summary>A plain text: its sentences and lines, put back with the separators they had.</summary>
internal sealed class PlainTextDocument(string text) : TranslatableDocument
{
    private readonly IReadOnlyList<TextSegment> segments = TextSegmenter.Split(text);

    public override IReadOnlyList<TextSegment> Segments => segments;

    public override byte[] Write(IReadOnlyList<string> translations) =>
        System.Text.Encoding.UTF8.GetBytes(string.Concat(segments.Select((s, i) => translations[i] + s.Separator)));
}
