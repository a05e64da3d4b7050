namespace Nlps.Agents.Translator;

/// <summary>The translator's configuration section; every value has a default and is checked at start. Settable properties, not init-only: the JSON source generator would reset missing init-only values to zero.</summary>
public sealed class TranslatorOptions
{
    /// <summary>The longest text <c>translate</c> accepts, in characters (default 100,000). Longer texts are refused with
    /// <c>text_too_long</c>: split them, or send them as documents, so one call stays within the operation timeout.</summary>
    public int MaxTranslateCharacters { get; set; } = 100_000;

    /// <summary>The most Korean characters a document translation job (<c>translate_document_start</c>) takes (default
    /// 2,000,000). A job is not bound by the operation timeout, so it is the way to translate long documents.</summary>
    public int MaxJobCharacters { get; set; } = 2_000_000;

    /// <summary>The largest document file, in bytes (default 16 MiB). A .docx or .xlsx whose parts unpack to more than
    /// <see cref="UnpackedFactor"/> times this is refused too, so a zip bomb is never parsed.</summary>
    public long MaxDocumentBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>The longest text <c>extract_keywords</c> accepts, in characters (default 2,000,000; the HTTP body limit usually comes first).</summary>
    public int MaxExtractCharacters { get; set; } = 2_000_000;

    /// <summary>Segments per chat call (default 8).</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>Translation-memory examples per segment when the request does not say (default 3).</summary>
    public int Examples { get; set; } = 3;

    /// <summary>One constrained retry for segments that miss mandated terms, when the request does not say (default true).</summary>
    public bool RetryNonCompliant { get; set; } = true;

    /// <summary>The most terms the glossary may hold (default 200,000).</summary>
    public int MaxGlossaryTerms { get; set; } = 200_000;

    /// <summary>Hours a finished document job (completed, cancelled or failed) keeps its stored document and results
    /// before it is removed (default 168, a week); 0 keeps them until <c>translate_document_delete</c>. Running jobs are
    /// never removed.</summary>
    public int DocumentJobRetentionHours { get; set; } = 168;

    /// <summary>The longest <see cref="DocumentJobRetentionHours"/> (ten years).</summary>
    public const int MaxDocumentJobRetentionHours = 87_600;

    /// <summary>How many times <see cref="MaxDocumentBytes"/> an Office package may unpack to.</summary>
    public const int UnpackedFactor = 16;

    /// <summary>The first invalid setting as "key: reason", or null.</summary>
    public string? Validate() =>
        MaxTranslateCharacters < 1 ? "maxTranslateCharacters: must be at least 1"
        : MaxJobCharacters < 1 ? "maxJobCharacters: must be at least 1"
        : MaxDocumentBytes is < 1 or > 1L << 32 ? "maxDocumentBytes: must be 1 to 4 GiB"
        : MaxExtractCharacters < 1 ? "maxExtractCharacters: must be at least 1"
        : BatchSize is < 1 or > 64 ? "batchSize: must be 1 to 64"
        : Examples is < 0 or > 20 ? "examples: must be 0 to 20"
        : MaxGlossaryTerms < 1 ? "maxGlossaryTerms: must be at least 1"
        : DocumentJobRetentionHours is < 0 or > MaxDocumentJobRetentionHours
            ? $"documentJobRetentionHours: must be 0 (keep finished jobs until deleted) to {MaxDocumentJobRetentionHours} hours, was {DocumentJobRetentionHours}"
        : null;
}
