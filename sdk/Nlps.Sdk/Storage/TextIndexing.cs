namespace Nlps.Sdk.Storage;

/// <summary>
/// How a document collection turns text into search terms for BM25. Korean attaches particles and endings to nouns
/// (금리가, 금리는, 금리를), so indexing whole words would miss most matches; each mode below avoids that differently.
/// The same analysis is applied to the query. Chosen once, when the collection is created. Since SDK 1.1.
/// </summary>
public enum TextIndexing
{
    /// <summary>
    /// Runs of Hangul/CJK become overlapping two-character terms (금리가 → 금리, 리가); other words are kept whole and
    /// lower-cased. Two-syllable nouns (most Korean nouns) still match. The appliance's default.
    /// </summary>
    CharacterBigrams = 0,

    /// <summary>SQLite FTS5's trigram tokenizer: three-character substrings. Query terms shorter than three characters cannot match.</summary>
    CharacterTrigrams = 1,

    /// <summary>Words with common Korean particles and copula endings stripped from their end (금리가 → 금리); other words lower-cased.</summary>
    KoreanParticleStripping = 2,
}
