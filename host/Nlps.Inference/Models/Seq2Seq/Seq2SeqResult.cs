namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>The generated tokens of one source (after the decoder start token), and whether they end with the eos token rather than at the length limit.</summary>
public sealed record Seq2SeqResult(int[] Tokens, bool EndedWithEos);
