namespace Nlps.Inference.Tokenization;

/// <summary>
/// Turns text into token ids and back, exactly as the model's own <c>tokenizer.json</c> does.
/// Instances are immutable after loading and safe to share between threads.
/// </summary>
public interface ITokenizer
{
    /// <summary>Number of ids the tokenizer can produce: the model vocabulary plus added tokens.</summary>
    int VocabSize { get; }

    /// <summary>
    /// Encodes <paramref name="text"/>. Added and special tokens written in the text (e.g. <c>&lt;|eot_id|&gt;</c>)
    /// become their ids, as Hugging Face does by default; <paramref name="addSpecialTokens"/> only controls the
    /// post-processor (the BOS that Llama prepends).
    /// </summary>
    IReadOnlyList<int> Encode(string text, bool addSpecialTokens);

    /// <summary>Appends the ids of <paramref name="text"/> to <paramref name="destination"/>; same rules as <see cref="Encode(string, bool)"/>.</summary>
    void Encode(ReadOnlySpan<char> text, List<int> destination, bool addSpecialTokens);

    /// <summary>
    /// Appends the ids of <paramref name="text"/> as plain text: added and special tokens written in it (e.g. a user
    /// typing <c>&lt;|eot_id|&gt;</c>) are not recognised and encode as ordinary characters. For message content
    /// inside a chat template, where only the template may produce special tokens.
    /// </summary>
    void EncodeOrdinary(ReadOnlySpan<char> text, List<int> destination);

    /// <summary>Number of ids <see cref="Encode(string, bool)"/> would return, without special tokens.</summary>
    int CountTokens(ReadOnlySpan<char> text);

    /// <summary>Decodes ids to text; invalid UTF-8 becomes U+FFFD. Ids outside the vocabulary are an error.</summary>
    string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens);

    /// <summary>Creates a decoder that turns ids into text one at a time, holding back incomplete UTF-8 sequences.</summary>
    StreamingDecoder CreateStreamingDecoder(bool skipSpecialTokens);

    /// <summary>The id of a token string (vocabulary or added token), or null when there is none.</summary>
    int? TokenToId(string token);

    /// <summary>The token string of an id as stored in <c>tokenizer.json</c> (byte-level form for BPE vocabularies).</summary>
    string IdToToken(int id);

    /// <summary>Whether <paramref name="id"/> is an added token marked <c>special</c> (skipped by <c>skipSpecialTokens</c>).</summary>
    bool IsSpecial(int id);
}
