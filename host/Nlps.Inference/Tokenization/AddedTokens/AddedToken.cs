namespace Nlps.Inference.Tokenization.AddedTokens;

/// <summary>One entry of <c>added_tokens</c> in tokenizer.json, with Hugging Face's flags.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Content">The exact text that stands for it.</param>
/// <param name="Special">Skipped by decode with skip-special-tokens.</param>
/// <param name="LeftStrip">Swallows the whitespace before it.</param>
/// <param name="RightStrip">Swallows the whitespace after it.</param>
/// <param name="Normalized">Matched in normalized text rather than in the raw input.</param>
/// <param name="SingleWord">Matched only when not inside a word.</param>
internal sealed record AddedToken(int Id, string Content, bool Special, bool LeftStrip, bool RightStrip, bool Normalized, bool SingleWord);
