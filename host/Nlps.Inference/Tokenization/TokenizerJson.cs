using System.Text;
using System.Text.Json;
using Nlps.Inference.Tokenization.AddedTokens;
using Nlps.Inference.Tokenization.Bpe;
using Nlps.Inference.Tokenization.Decoding;
using Nlps.Inference.Tokenization.Normalization;
using Nlps.Inference.Tokenization.PostProcessing;
using Nlps.Inference.Tokenization.PreTokenization;
using Nlps.Inference.Tokenization.Unigram;
using Nlps.Inference.Tokenization.WordPiece;

namespace Nlps.Inference.Tokenization;

/// <summary>
/// Loads a Hugging Face <c>tokenizer.json</c>: byte-level BPE (Llama 3.x, Qwen2, GPT-2 style), SentencePiece-style
/// BPE (Llama 2, Mistral: '▁' normalizer or Metaspace, byte fallback), WordPiece (BERT: BertNormalizer,
/// BertPreTokenizer) and Unigram (XLM-R: Precompiled normalizer, WhitespaceSplit + Metaspace). Anything else is
/// refused with <see cref="NotSupportedException"/> naming the part; malformed files give <see cref="InvalidDataException"/>.
/// </summary>
public static class TokenizerJson
{
    /// <summary>GPT-2's pattern, used by a ByteLevel pre-tokenizer with <c>use_regex: true</c>.</summary>
    internal const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Loads the tokenizer.json at <paramref name="path"/>.</summary>
    public static ITokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Loads a tokenizer.json from a stream.</summary>
    public static ITokenizer Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        return Build(document.RootElement);
    }

    private static HuggingFaceTokenizer Build(JsonElement root)
    {
        var model = Required(root, "model");
        var type = OptionalString(model, "type") ?? "BPE";
        var addedTokens = ReadAddedTokens(root);
        var (tokenModel, vocab) = type switch
        {
            "BPE" => ReadBpe(model),
            "WordPiece" => ReadWordPiece(model),
            "Unigram" => ReadUnigram(model),
            _ => throw new NotSupportedException($"tokenizer.json: model type '{type}' is not supported (BPE, WordPiece, Unigram)."),
        };

        var idToToken = BuildIdToToken(vocab, addedTokens);
        var tokenToId = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        foreach (var added in addedTokens)
        {
            tokenToId[added.Content] = added.Id;
        }

        var (preTokenizer, metaspace, byteLevel, prefixSpace) = ReadPreTokenizer(root);
        return new HuggingFaceTokenizer(
            tokenModel,
            idToToken,
            tokenToId,
            addedTokens,
            ReadNormalizer(root.TryGetProperty("normalizer", out var n) ? n : default),
            preTokenizer,
            metaspace,
            byteLevel,
            prefixSpace,
            ReadPostProcessor(root, tokenToId),
            ReadDecoder(root));
    }

    private static (ITokenModel Model, Dictionary<string, int> Vocab) ReadBpe(JsonElement model)
    {
        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() > 0)
        {
            throw new NotSupportedException("tokenizer.json: model.dropout is not supported (inference tokenizers have none).");
        }

        var vocab = ReadVocab(Required(model, "vocab"));
        var bpe = new BpeModel(
            vocab,
            ReadMerges(Required(model, "merges"), vocab),
            ignoreMerges: OptionalBool(model, "ignore_merges"),
            byteFallback: OptionalBool(model, "byte_fallback"),
            unknownToken: OptionalString(model, "unk_token"),
            fuseUnknown: OptionalBool(model, "fuse_unk"));
        return (bpe, vocab);
    }

    private static (ITokenModel Model, Dictionary<string, int> Vocab) ReadWordPiece(JsonElement model)
    {
        var vocab = ReadVocab(Required(model, "vocab"));
        var wordPiece = new WordPieceModel(
            vocab,
            OptionalString(model, "unk_token") ?? "[UNK]",
            OptionalString(model, "continuing_subword_prefix") ?? "##",
            OptionalInt(model, "max_input_chars_per_word") ?? 100);
        return (wordPiece, vocab);
    }

    private static (ITokenModel Model, Dictionary<string, int> Vocab) ReadUnigram(JsonElement model)
    {
        if (OptionalBool(model, "byte_fallback"))
        {
            throw new NotSupportedException("tokenizer.json: a Unigram model with byte_fallback is not supported.");
        }

        var array = Required(model, "vocab");
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("tokenizer.json: a Unigram model.vocab must be an array of [piece, score].");
        }

        var pieces = new List<(string Piece, double Score)>(array.GetArrayLength());
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in array.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2 || entry[0].ValueKind != JsonValueKind.String
                || entry[1].ValueKind != JsonValueKind.Number)
            {
                throw new InvalidDataException($"tokenizer.json: Unigram vocab entry #{pieces.Count} is not [piece, score].");
            }

            var piece = entry[0].GetString()!;
            vocab[piece] = pieces.Count;
            pieces.Add((piece, entry[1].GetDouble()));
        }

        var unknownId = OptionalInt(model, "unk_id")
            ?? throw new NotSupportedException("tokenizer.json: a Unigram model without unk_id is not supported.");
        return (new UnigramModel(pieces, unknownId), vocab);
    }

    private static Dictionary<string, int> ReadVocab(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("tokenizer.json: model.vocab must be an object of token → id.");
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
            {
                throw new InvalidDataException($"tokenizer.json: model.vocab['{entry.Name}'] is not a non-negative integer id.");
            }

            vocab[entry.Name] = id;
        }

        return vocab;
    }

    /// <summary>Merges are "a b" strings (older files) or ["a", "b"] arrays (tokenizers ≥ 0.20).</summary>
    private static BpeMerges ReadMerges(JsonElement element, Dictionary<string, int> vocab)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("tokenizer.json: model.merges must be an array.");
        }

        var merges = new BpeMerges(element.GetArrayLength());
        var rank = 0;
        foreach (var merge in element.EnumerateArray())
        {
            string left, right;
            if (merge.ValueKind == JsonValueKind.String)
            {
                var text = merge.GetString()!;
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                if (space <= 0 || space == text.Length - 1 || text.IndexOf(' ', space + 1) >= 0)
                {
                    throw new InvalidDataException($"tokenizer.json: merge #{rank} '{text}' is not two tokens separated by one space.");
                }

                left = text[..space];
                right = text[(space + 1)..];
            }
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
            {
                left = merge[0].GetString() ?? string.Empty;
                right = merge[1].GetString() ?? string.Empty;
            }
            else
            {
                throw new InvalidDataException($"tokenizer.json: merge #{rank} is neither \"a b\" nor [\"a\", \"b\"].");
            }

            if (!vocab.TryGetValue(left, out var leftId) || !vocab.TryGetValue(right, out var rightId)
                || !vocab.TryGetValue(left + right, out var mergedId))
            {
                throw new InvalidDataException($"tokenizer.json: merge #{rank} ('{left}', '{right}') uses a token missing from the vocabulary.");
            }

            merges.Add(leftId, rightId, rank, mergedId);
            rank++;
        }

        return merges;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root)
    {
        var tokens = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return tokens;
        }

        foreach (var t in array.EnumerateArray())
        {
            var content = OptionalString(t, "content")
                ?? throw new InvalidDataException("tokenizer.json: an added token has no content.");
            if (!t.TryGetProperty("id", out var idElement) || !idElement.TryGetInt32(out var id) || id < 0)
            {
                throw new InvalidDataException($"tokenizer.json: added token '{content}' has no valid id.");
            }

            tokens.Add(new AddedToken(
                id,
                content,
                Special: OptionalBool(t, "special"),
                LeftStrip: OptionalBool(t, "lstrip"),
                RightStrip: OptionalBool(t, "rstrip"),
                Normalized: OptionalBool(t, "normalized", defaultValue: true),
                SingleWord: OptionalBool(t, "single_word")));
        }

        return tokens;
    }

    private static string[] BuildIdToToken(Dictionary<string, int> vocab, List<AddedToken> addedTokens)
    {
        var size = 0;
        foreach (var id in vocab.Values)
        {
            size = Math.Max(size, id + 1);
        }

        foreach (var added in addedTokens)
        {
            size = Math.Max(size, added.Id + 1);
        }

        var idToToken = new string[size];
        foreach (var (token, id) in vocab)
        {
            idToToken[id] = token;
        }

        foreach (var added in addedTokens)
        {
            idToToken[added.Id] = added.Content;
        }

        for (var id = 0; id < size; id++)
        {
            if (idToToken[id] is null)
            {
                throw new InvalidDataException($"tokenizer.json: id {id} has no token (ids must be dense).");
            }
        }

        return idToToken;
    }

    private static TextNormalizer? ReadNormalizer(JsonElement element)
    {
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        var type = OptionalString(element, "type");
        return type switch
        {
            "Sequence" => new SequenceNormalizer([.. Required(element, "normalizers").EnumerateArray().Select(ReadNormalizer).OfType<TextNormalizer>()]),
            "Prepend" => new PrependNormalizer(OptionalString(element, "prepend") ?? string.Empty),
            "Replace" => new ReplaceNormalizer(LiteralPattern(element, "normalizer Replace"), OptionalString(element, "content") ?? string.Empty),
            "NFC" => new UnicodeNormalizer(NormalizationForm.FormC),
            "NFD" => new UnicodeNormalizer(NormalizationForm.FormD),
            "NFKC" => new UnicodeNormalizer(NormalizationForm.FormKC),
            "NFKD" => new UnicodeNormalizer(NormalizationForm.FormKD),
            "BertNormalizer" => new BertNormalizer(
                OptionalBool(element, "clean_text", defaultValue: true),
                OptionalBool(element, "handle_chinese_chars", defaultValue: true),
                OptionalBool(element, "lowercase", defaultValue: true),
                element.TryGetProperty("strip_accents", out var strip) && strip.ValueKind is JsonValueKind.True or JsonValueKind.False ? strip.GetBoolean() : null),
            "Precompiled" => new PrecompiledNormalizer(),
            _ => throw new NotSupportedException($"tokenizer.json: normalizer type '{type}' is not supported."),
        };
    }

    private static (PreTokenizer Splitter, Metaspace? Metaspace, bool ByteLevel, bool PrefixSpace) ReadPreTokenizer(JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return (WholeTextPreTokenizer.Instance, null, false, false);
        }

        var steps = OptionalString(element, "type") == "Sequence"
            ? [.. Required(element, "pretokenizers").EnumerateArray()]
            : new[] { element };

        PreTokenizer? splitter = null;
        Metaspace? metaspace = null;
        var byteLevel = false;
        var prefixSpace = false;
        foreach (var step in steps)
        {
            var type = OptionalString(step, "type");
            if (metaspace is not null)
            {
                throw new NotSupportedException($"tokenizer.json: pre_tokenizer '{type}' after Metaspace is not supported.");
            }

            switch (type)
            {
                case "Split" when splitter is null:
                    splitter = ReadSplit(step);
                    break;
                case "BertPreTokenizer" when splitter is null:
                    splitter = BertPreTokenizer.Instance;
                    break;
                case "WhitespaceSplit" when splitter is null:
                    splitter = WhitespaceSplitPreTokenizer.Instance;
                    break;
                case "Metaspace" when !byteLevel:
                    metaspace = ReadMetaspace(step);
                    break;
                case "ByteLevel" when !byteLevel:
                    byteLevel = true;
                    prefixSpace = OptionalBool(step, "add_prefix_space");
                    if (OptionalBool(step, "use_regex", defaultValue: true))
                    {
                        splitter = splitter is null
                            ? new RegexSplitPreTokenizer(Gpt2Pattern)
                            : throw new NotSupportedException("tokenizer.json: a Split followed by a ByteLevel with use_regex is not supported.");
                    }

                    break;
                default:
                    throw new NotSupportedException($"tokenizer.json: pre_tokenizer '{type}' in this position is not supported.");
            }
        }

        return (splitter ?? WholeTextPreTokenizer.Instance, metaspace, byteLevel, prefixSpace);
    }

    private static Metaspace ReadMetaspace(JsonElement step)
    {
        var replacement = OptionalString(step, "replacement") ?? "\u2581";
        var scheme = OptionalString(step, "prepend_scheme") ?? (OptionalBool(step, "add_prefix_space", defaultValue: true) ? "always" : "never");
        if (replacement.Length != 1 || scheme is not ("always" or "never"))
        {
            throw new NotSupportedException($"tokenizer.json: Metaspace with replacement '{replacement}' and prepend_scheme '{scheme}' is not supported (one character; always or never).");
        }

        return new Metaspace(replacement[0], prepend: scheme == "always", split: OptionalBool(step, "split", defaultValue: true));
    }

    private static PreTokenizer ReadSplit(JsonElement step)
    {
        var behavior = OptionalString(step, "behavior");
        if (behavior != "Isolated" || OptionalBool(step, "invert"))
        {
            throw new NotSupportedException($"tokenizer.json: Split with behavior '{behavior}' (invert {OptionalBool(step, "invert")}) is not supported; only Isolated.");
        }

        var pattern = Required(step, "pattern");
        if (pattern.TryGetProperty("Regex", out var regex))
        {
            var text = regex.GetString() ?? string.Empty;
            return (PreTokenizer?)Cl100kPreTokenizer.TryCreate(text) ?? new RegexSplitPreTokenizer(text);
        }

        return new RegexSplitPreTokenizer(System.Text.RegularExpressions.Regex.Escape(LiteralPattern(step, "Split")));
    }

    private static TemplatePostProcessor ReadPostProcessor(JsonElement root, Dictionary<string, int> tokenToId)
    {
        if (!root.TryGetProperty("post_processor", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return TemplatePostProcessor.None;
        }

        var type = OptionalString(element, "type");
        switch (type)
        {
            case "Sequence":
                var found = TemplatePostProcessor.None;
                foreach (var processor in Required(element, "processors").EnumerateArray())
                {
                    var wrapper = JsonDocument.Parse($"{{\"post_processor\":{processor.GetRawText()}}}").RootElement;
                    var read = ReadPostProcessor(wrapper, tokenToId);
                    if (read != TemplatePostProcessor.None)
                    {
                        found = found == TemplatePostProcessor.None
                            ? read
                            : throw new NotSupportedException("tokenizer.json: more than one id-adding post-processor in a Sequence.");
                    }
                }

                return found;
            case "ByteLevel":
                return TemplatePostProcessor.None; // Only adjusts offsets.
            case "TemplateProcessing":
                return ReadTemplate(element);
            case "RobertaProcessing" or "BertProcessing":
                return new TemplatePostProcessor([Required(element, "cls")[1].GetInt32()], [Required(element, "sep")[1].GetInt32()]);
            default:
                throw new NotSupportedException($"tokenizer.json: post_processor '{type}' is not supported.");
        }
    }

    private static TemplatePostProcessor ReadTemplate(JsonElement element)
    {
        var specials = Required(element, "special_tokens");
        var prefix = new List<int>();
        var suffix = new List<int>();
        var seenSequence = false;
        foreach (var item in Required(element, "single").EnumerateArray())
        {
            if (item.TryGetProperty("Sequence", out _))
            {
                seenSequence = true;
                continue;
            }

            var name = Required(Required(item, "SpecialToken"), "id").GetString() ?? string.Empty;
            if (!specials.TryGetProperty(name, out var special))
            {
                throw new InvalidDataException($"tokenizer.json: post_processor uses '{name}' which special_tokens does not define.");
            }

            foreach (var id in Required(special, "ids").EnumerateArray())
            {
                (seenSequence ? suffix : prefix).Add(id.GetInt32());
            }
        }

        return new TemplatePostProcessor([.. prefix], [.. suffix]);
    }

    private static DecoderSpec ReadDecoder(JsonElement root)
    {
        if (!root.TryGetProperty("decoder", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            throw new NotSupportedException("tokenizer.json: a tokenizer without a decoder is not supported.");
        }

        var steps = OptionalString(element, "type") == "Sequence"
            ? [.. Required(element, "decoders").EnumerateArray()]
            : new[] { element };

        var spec = new DecoderSpec(ByteLevel: false, MetaspaceToSpace: false, ByteFallback: false, StripLeadingSpace: false);
        foreach (var step in steps)
        {
            var type = OptionalString(step, "type");
            spec = type switch
            {
                "ByteLevel" => spec with { ByteLevel = true },
                "ByteFallback" => spec with { ByteFallback = true },
                "Fuse" => spec,
                "WordPiece" => spec with
                {
                    WordPiecePrefix = OptionalString(step, "prefix") ?? "##",
                    WordPieceCleanup = OptionalBool(step, "cleanup", defaultValue: true),
                    StripLeadingSpace = true,
                },
                "Replace" when LiteralPattern(step, "decoder Replace") == "\u2581" && OptionalString(step, "content") == " "
                    => spec with { MetaspaceToSpace = true },
                "Strip" when OptionalString(step, "content") == " " && OptionalInt(step, "start") == 1 && OptionalInt(step, "stop") == 0
                    => spec with { StripLeadingSpace = true },
                "Metaspace" when (OptionalString(step, "replacement") ?? "\u2581") == "\u2581"
                    => spec with { MetaspaceToSpace = true, StripLeadingSpace = OptionalString(step, "prepend_scheme") != "never" && OptionalBool(step, "add_prefix_space", defaultValue: true) },
                _ => throw new NotSupportedException($"tokenizer.json: decoder step '{type}' ({step.GetRawText()}) is not supported."),
            };
        }

        return spec;
    }

    private static string LiteralPattern(JsonElement element, string where)
    {
        var pattern = Required(element, "pattern");
        return pattern.TryGetProperty("String", out var literal)
            ? literal.GetString() ?? string.Empty
            : throw new NotSupportedException($"tokenizer.json: {where} with a regex pattern is not supported; only literal strings.");
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new InvalidDataException($"tokenizer.json: missing '{name}'.");

    private static string? OptionalString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static bool OptionalBool(JsonElement element, string name, bool defaultValue = false) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : defaultValue;

    private static int? OptionalInt(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt32()
            : null;
}
