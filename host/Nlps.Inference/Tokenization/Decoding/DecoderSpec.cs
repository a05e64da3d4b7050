namespace Nlps.Inference.Tokenization.Decoding;

/// <summary>What a tokenizer.json <c>decoder</c> (possibly a Sequence) does, reduced to the steps we support.</summary>
/// <param name="ByteLevel">Map byte-level characters back to bytes (Llama 3, Qwen2).</param>
/// <param name="MetaspaceToSpace">Turn '▁' into ' ' (SentencePiece).</param>
/// <param name="ByteFallback">Turn <c>&lt;0xNN&gt;</c> tokens into their byte.</param>
/// <param name="StripLeadingSpace">Drop one leading space of the decoded text.</param>
internal sealed record DecoderSpec(bool ByteLevel, bool MetaspaceToSpace, bool ByteFallback, bool StripLeadingSpace);
