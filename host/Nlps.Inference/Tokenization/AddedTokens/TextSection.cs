namespace Nlps.Inference.Tokenization.AddedTokens;

/// <summary>A run of input text: either plain text to tokenize, or one added token (then <see cref="TokenId"/> is set).</summary>
internal readonly record struct TextSection(int Start, int Length, int TokenId)
{
    public bool IsAddedToken => TokenId >= 0;

    public static TextSection Plain(int start, int length) => new(start, length, -1);
}
