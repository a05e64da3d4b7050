using Nlps.Agents.Text.Segmentation;
using Nlps.Agents.Translator.Contracts;

namespace Nlps.Agents.Translator.Translation;

/// <summary>What the prompt for one segment carries: the segment, its mandated terms and its memory examples.</summary>
internal sealed record SegmentWork(TextSegment Segment, IReadOnlyList<AppliedTerm> Terms, IReadOnlyList<MemoryHit> Examples);
