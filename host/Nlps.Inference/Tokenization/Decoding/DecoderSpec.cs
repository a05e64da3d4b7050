namespace Nlps.Inference.Tokenization.Decoding;

/// <summary>What a tokenizer.json <c>decoder</c> (possibly a Sequence) does, reduced to the steps we support.</summary>
/// <param name="ByteLevel">Map byte-level characters back to bytes (Llama 3, Qwen2).</param>
/// <param name="MetaspaceToSpace">Turn '▁' into ' ' (SentencePiece).</param>
/// <param name="ByteFallback">Turn <c>&lt;0xNN&gt;</c> tokens into their byte.</param>
/// <param name="StripLeadingSpace">Drop one leading space of the decoded text.</param>
/// <param name="WordPiecePrefix">WordPiece: tokens starting with this prefix (<c>##</c>) join the previous one, others get a space before them.</param>
/// <param name="WordPieceCleanup">WordPiece <c>cleanup</c>: no space before . , ? ! and English contractions.</param>
internal sealed record DecoderSpec(
    bool ByteLevel,
    bool MetaspaceToSpace,
    bool ByteFallback,
    bool StripLeadingSpace,
    string? WordPiecePrefix = null,
    bool WordPieceCleanup = false);
