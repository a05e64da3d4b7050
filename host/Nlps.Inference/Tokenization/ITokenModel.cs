namespace Nlps.Inference.Tokenization;

/// <summary>The <c>model</c> of tokenizer.json (BPE, WordPiece, Unigram): turns one pre-token ("word") into vocabulary ids.</summary>
internal interface ITokenModel
{
    /// <summary>Appends the ids of <paramref name="word"/> (normalized, pre-tokenized UTF-16) to <paramref name="output"/>.</summary>
    void EncodeWord(ReadOnlySpan<char> word, List<int> output);
}
