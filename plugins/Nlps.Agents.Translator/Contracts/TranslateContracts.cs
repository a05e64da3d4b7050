namespace Nlps.Agents.Translator.Contracts;

/// <summary>Korean text to translate.</summary>
/// <param name="Text">The text, up to the configured limit (<c>maxTranslateCharacters</c>).</param>
/// <param name="Examples">Translation-memory examples per segment (0 turns them off; default from configuration).</param>
/// <param name="Retry">One constrained retry for segments that miss mandated terms (default from configuration).</param>
public sealed record TranslateRequest(string Text, int? Examples = null, bool? Retry = null);

/// <summary>A mandated term that applied to a segment.</summary>
public sealed record AppliedTerm(string Korean, string English);

/// <summary>One translated segment and how it lines up with the source.</summary>
/// <param name="Index">0-based segment number.</param>
/// <param name="SourceStart">Where the segment starts in the source text.</param>
/// <param name="Source">The Korean segment.</param>
/// <param name="Translation">Its English translation.</param>
/// <param name="Terms">Mandated terms found in the segment.</param>
/// <param name="MissingTerms">Mandated English terms not found in the translation.</param>
/// <param name="MissingNumbers">Numbers in the source that do not appear in the translation (to check by eye: 3조 → 3 trillion is fine).</param>
/// <param name="ExampleIds">Translation-memory pairs shown to the model.</param>
/// <param name="Retried">True when the constrained retry ran.</param>
public sealed record SegmentTranslation(
    int Index,
    int SourceStart,
    string Source,
    string Translation,
    IReadOnlyList<AppliedTerm> Terms,
    IReadOnlyList<AppliedTerm> MissingTerms,
    IReadOnlyList<string> MissingNumbers,
    IReadOnlyList<long> ExampleIds,
    bool Retried);

/// <summary>The terminology compliance report: mandated uses, how many the output honours, and which it misses.</summary>
public sealed record ComplianceReport(int Mandated, int Satisfied, double Rate, IReadOnlyList<MissingTerm> Missing);

/// <summary>A mandated term missing from one segment's translation.</summary>
public sealed record MissingTerm(int Segment, string Korean, string English);

/// <summary>The whole translation.</summary>
/// <param name="Translation">The English text, segments joined with the source's separators.</param>
/// <param name="Segments">Per-segment alignment.</param>
/// <param name="TermsApplied">Distinct mandated terms that applied.</param>
/// <param name="Compliance">The compliance report.</param>
/// <param name="Memory">"used", "empty", "off" or "model_unavailable" (no embed model: translated without examples).</param>
public sealed record TranslateResponse(
    string Translation,
    IReadOnlyList<SegmentTranslation> Segments,
    IReadOnlyList<AppliedTerm> TermsApplied,
    ComplianceReport Compliance,
    string Memory);

/// <summary>One event of <c>translate_stream</c>: a segment as soon as it is done, then a last event with the summary.</summary>
public sealed record TranslateStreamItem(string Kind, SegmentTranslation? Segment = null, TranslateResponse? Summary = null);

/// <summary>A document to translate: its file name (.txt, .md, .docx or .xlsx) and its bytes in base64; examples and retry as in translate.</summary>
public sealed record DocumentTranslateRequest(string Name, string ContentBase64, int? Examples = null, bool? Retry = null);

/// <summary>One event of <c>translate_document</c>: <c>progress</c> after each segment (done of total), then <c>document</c>.</summary>
public sealed record DocumentTranslateItem(string Kind, int Done = 0, int Total = 0, TranslatedDocument? Document = null);

/// <summary>The translated document (same format and structure, base64), its per-segment alignment and the compliance report.</summary>
public sealed record TranslatedDocument(string Name, string ContentBase64, IReadOnlyList<SegmentTranslation> Segments, ComplianceReport Compliance, string Memory);
