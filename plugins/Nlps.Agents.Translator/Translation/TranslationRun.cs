using Microsoft.Extensions.AI;
using Nlps.Agents.Text.Segmentation;
using Nlps.Agents.Translator.Contracts;

namespace Nlps.Agents.Translator.Translation;

/// <summary>A translation ready to run: its segments, the models and the settings, all checked before any model work.</summary>
/// <param name="Segments">Every segment of the text or document.</param>
/// <param name="Pipeline">The pipeline over the current glossary and memory.</param>
/// <param name="Chat">The chat model.</param>
/// <param name="Embed">The embedding model for memory examples; null to translate without them.</param>
/// <param name="Examples">Memory examples per segment.</param>
/// <param name="Retry">One constrained retry for non-compliant segments.</param>
/// <param name="MemoryStatus">"used", "empty", "off" or "model_unavailable".</param>
internal sealed record TranslationRun(
    IReadOnlyList<TextSegment> Segments,
    TranslationPipeline Pipeline,
    IChatClient Chat,
    IEmbeddingGenerator<string, Embedding<float>>? Embed,
    int Examples,
    bool Retry,
    string MemoryStatus)
{
    /// <summary>Translates <paramref name="segments"/> (all of <see cref="Segments"/>, or the ones still to do), yielding each as it is done.</summary>
    public IAsyncEnumerable<SegmentTranslation> TranslateAsync(IReadOnlyList<TextSegment> segments, CancellationToken cancellationToken) =>
        Pipeline.TranslateAsync(segments, Chat, Embed, Examples, Retry, cancellationToken);
}
