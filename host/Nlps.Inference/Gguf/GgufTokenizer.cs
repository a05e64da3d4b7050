using Nlps.Formats.Gguf;
using Nlps.Inference.Tokenization;
using Nlps.Inference.Tokenization.AddedTokens;
using Nlps.Inference.Tokenization.Bpe;
using Nlps.Inference.Tokenization.Decoding;
using Nlps.Inference.Tokenization.Normalization;
using Nlps.Inference.Tokenization.PostProcessing;
using Nlps.Inference.Tokenization.PreTokenization;

namespace Nlps.Inference.Gguf;

/// <summary>
/// Builds the same tokenizer objects as tokenizer.json from GGUF's <c>tokenizer.ggml.*</c> metadata.
/// <c>gpt2</c>: byte-level BPE with the listed merges and the pre-tokenizer named by <c>tokenizer.ggml.pre</c>
/// (llama-bpe: Llama 3's split with whole-word vocabulary hits first; qwen2; gpt-2/default).
/// <c>llama</c>: SentencePiece BPE with byte fallback, its merges recovered from the scores the way Hugging Face's
/// converter does (every split of a piece into two vocabulary pieces, ranked by the piece's score, highest first).
/// Control and unknown tokens become special added tokens, user-defined ones plain added tokens.
/// </summary>
internal static class GgufTokenizer
{
    public const string ModelKey = "tokenizer.ggml.model";
    public const string PreKey = "tokenizer.ggml.pre";
    public const string TokensKey = "tokenizer.ggml.tokens";
    public const string TypesKey = "tokenizer.ggml.token_type";
    public const string MergesKey = "tokenizer.ggml.merges";
    public const string ScoresKey = "tokenizer.ggml.scores";
    public const string BosKey = "tokenizer.ggml.bos_token_id";
    public const string EosKey = "tokenizer.ggml.eos_token_id";
    public const string UnknownKey = "tokenizer.ggml.unknown_token_id";
    public const string AddBosKey = "tokenizer.ggml.add_bos_token";
    public const string AddEosKey = "tokenizer.ggml.add_eos_token";
    public const string AddSpacePrefixKey = "tokenizer.ggml.add_space_prefix";
    public const string ChatTemplateKey = "tokenizer.chat_template";

    /// <summary>llama.cpp's token types (llama_token_type).</summary>
    public const int Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Byte = 6;

    public static ITokenizer Read(GgufMetadata m)
    {
        string origin = m.Origin;
        string model = m.String(ModelKey) ?? throw new InvalidDataException($"{origin}: '{ModelKey}' is missing");
        string[] tokens = m.Array<string>(TokensKey) ?? throw new InvalidDataException($"{origin}: '{TokensKey}' is missing");
        int[] types = m.Array<int>(TypesKey) ?? [.. Enumerable.Repeat(Normal, tokens.Length)];
        if (types.Length != tokens.Length)
        {
            throw new InvalidDataException($"{origin}: {TypesKey} has {types.Length} entries for {tokens.Length} tokens");
        }

        var vocab = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        var added = new List<AddedToken>();
        for (int id = 0; id < tokens.Length; id++)
        {
            vocab.TryAdd(tokens[id], id);
            if (types[id] is Control or Unknown or UserDefined)
            {
                added.Add(new AddedToken(id, tokens[id], Special: types[id] != UserDefined, LeftStrip: false, RightStrip: false, Normalized: false, SingleWord: false));
            }
        }

        var post = new TemplatePostProcessor(
            m.Bool(AddBosKey) ?? true ? Id(m, BosKey, tokens.Length) : [],
            m.Bool(AddEosKey) ?? false ? Id(m, EosKey, tokens.Length) : []);
        return model switch
        {
            "gpt2" => ByteLevel(m, tokens, vocab, added, post),
            "llama" => SentencePiece(m, tokens, vocab, added, post),
            _ => throw new NotSupportedException($"{origin}: tokenizer model '{model}' is not supported (gpt2, llama)"),
        };
    }

    private static HuggingFaceTokenizer ByteLevel(GgufMetadata m, string[] tokens, Dictionary<string, int> vocab, List<AddedToken> added, TemplatePostProcessor post)
    {
        string pre = m.String(PreKey) ?? "default";
        (PreTokenizer splitter, bool ignoreMerges) = pre switch
        {
            "llama-bpe" or "llama3" => ((PreTokenizer)new Cl100kPreTokenizer(3), true),
            "qwen2" => (Cl100kPreTokenizer.TryCreate(Cl100kPreTokenizer.Qwen2Pattern)!, false),
            "default" or "gpt-2" or "gpt2" => (new RegexSplitPreTokenizer(TokenizerJson.Gpt2Pattern), false),
            _ => throw new NotSupportedException($"{m.Origin}: pre-tokenizer '{pre}' ({PreKey}) is not supported (llama-bpe, qwen2, gpt-2)"),
        };
        string[] mergeTexts = m.Array<string>(MergesKey) ?? throw new InvalidDataException($"{m.Origin}: '{MergesKey}' is missing");
        var merges = new BpeMerges(mergeTexts.Length);
        for (int rank = 0; rank < mergeTexts.Length; rank++)
        {
            string text = mergeTexts[rank];
            int space = text.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || space == text.Length - 1 || text.IndexOf(' ', space + 1) >= 0
                || !vocab.TryGetValue(text[..space], out int left) || !vocab.TryGetValue(text[(space + 1)..], out int right)
                || !vocab.TryGetValue(string.Concat(text.AsSpan(0, space), text.AsSpan(space + 1)), out int merged))
            {
                throw new InvalidDataException($"{m.Origin}: merge #{rank} '{text}' is not two vocabulary tokens separated by one space");
            }

            merges.Add(left, right, rank, merged);
        }

        var bpe = new BpeModel(vocab, merges, ignoreMerges, byteFallback: false, unknownToken: null, fuseUnknown: false);
        return new HuggingFaceTokenizer(bpe, tokens, vocab, added, null, splitter, metaspace: null, byteLevel: true, byteLevelPrefixSpace: false, post, new DecoderSpec(true, false, false, false));
    }

    private static HuggingFaceTokenizer SentencePiece(GgufMetadata m, string[] tokens, Dictionary<string, int> vocab, List<AddedToken> added, TemplatePostProcessor post)
    {
        float[] scores = m.Array<float>(ScoresKey) ?? throw new InvalidDataException($"{m.Origin}: '{ScoresKey}' is missing");
        if (scores.Length != tokens.Length)
        {
            throw new InvalidDataException($"{m.Origin}: {ScoresKey} has {scores.Length} entries for {tokens.Length} tokens");
        }

        var pairs = new List<(int Left, int Right, int Merged)>();
        for (int id = 0; id < tokens.Length; id++)
        {
            string piece = tokens[id];
            int first = pairs.Count;
            for (int cut = 1; cut < piece.Length; cut++)
            {
                if (vocab.TryGetValue(piece[..cut], out int left) && vocab.TryGetValue(piece[cut..], out int right))
                {
                    pairs.Add((left, right, id));
                }
            }

            pairs.Sort(first, pairs.Count - first, Comparer<(int Left, int Right, int Merged)>.Create((a, b) => a.Left != b.Left ? a.Left.CompareTo(b.Left) : a.Right.CompareTo(b.Right)));
        }

        // A stable sort by the merged piece's score, highest first (List.Sort is not stable: order by index on ties).
        var ordered = pairs.Select((p, index) => (p, index)).OrderByDescending(x => scores[x.p.Merged]).ThenBy(x => x.index).ToList();
        var merges = new BpeMerges(ordered.Count);
        for (int rank = 0; rank < ordered.Count; rank++)
        {
            merges.Add(ordered[rank].p.Left, ordered[rank].p.Right, rank, ordered[rank].p.Merged);
        }

        int? unknown = (int?)m.Integer(UnknownKey);
        string? unknownToken = unknown is int u && u >= 0 && u < tokens.Length ? tokens[u] : vocab.ContainsKey("<unk>") ? "<unk>" : null;
        bool prefixSpace = m.Bool(AddSpacePrefixKey) ?? true;
        var replace = new ReplaceNormalizer(" ", "\u2581");
        TextNormalizer normalizer = prefixSpace ? new SequenceNormalizer([new PrependNormalizer("\u2581"), replace]) : replace;
        var bpe = new BpeModel(vocab, merges, ignoreMerges: false, byteFallback: true, unknownToken, fuseUnknown: true);
        return new HuggingFaceTokenizer(bpe, tokens, vocab, added, normalizer, WholeTextPreTokenizer.Instance, metaspace: null, byteLevel: false, byteLevelPrefixSpace: false, post, new DecoderSpec(false, true, true, prefixSpace));
    }

    private static int[] Id(GgufMetadata m, string key, int vocabSize) => m.Integer(key) switch
    {
        null => [],
        long id when id >= 0 && id < vocabSize => [(int)id],
        long id => throw new InvalidDataException($"{m.Origin}: {key} {id} is outside the {vocabSize} tokens"),
    };
}
