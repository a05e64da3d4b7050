using Nlps.Sdk.Storage;

namespace Nlps.Storage.Documents;

/// <summary>The FTS5 table and stored name of each <see cref="TextIndexing"/> (schema v2).</summary>
internal static class FtsTables
{
    public static readonly string[] All = ["doc_fts_bigram", "doc_fts_trigram", "doc_fts_words"];

    public static string Table(TextIndexing indexing) => indexing switch
    {
        TextIndexing.CharacterBigrams => "doc_fts_bigram",
        TextIndexing.CharacterTrigrams => "doc_fts_trigram",
        TextIndexing.KoreanParticleStripping => "doc_fts_words",
        _ => throw new ArgumentOutOfRangeException(nameof(indexing), indexing, "unknown text indexing"),
    };

    public static string Name(TextIndexing indexing) => indexing switch
    {
        TextIndexing.CharacterBigrams => "bigram",
        TextIndexing.CharacterTrigrams => "trigram",
        TextIndexing.KoreanParticleStripping => "words",
        _ => throw new ArgumentOutOfRangeException(nameof(indexing), indexing, "unknown text indexing"),
    };

    public static TextIndexing Parse(string name) => name switch
    {
        "bigram" => TextIndexing.CharacterBigrams,
        "trigram" => TextIndexing.CharacterTrigrams,
        "words" => TextIndexing.KoreanParticleStripping,
        _ => throw new InvalidDataException($"unknown text indexing '{name}' in doc_collections"),
    };
}
