namespace Nlps.Inference.Seq2Seq;

/// <summary>A generation: its text (special tokens left out), its token ids, the source's token count, and whether it ended with eos rather than at the length limit.</summary>
public sealed record Seq2SeqTextResult(string Text, int[] Tokens, int SourceTokens, bool EndedWithEos);
