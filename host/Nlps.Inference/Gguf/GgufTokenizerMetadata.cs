using System.Text.Json;
using Nlps.Inference.Tokenization.PreTokenization;

namespace Nlps.Inference.Gguf;

/// <summary>
/// The <c>tokenizer.ggml.*</c> metadata for a tokenizer.json that <see cref="GgufTokenizer"/> (and llama.cpp) reads
/// back as the same tokenizer. Byte-level BPE becomes <c>gpt2</c> with its merges and the pre-tokenizer's llama.cpp
/// name; SentencePiece BPE (byte fallback) becomes <c>llama</c>, with scores that rank each piece by the first merge
/// that makes it, so the merges recovered from the scores are the original ones.
/// </summary>
internal static class GgufTokenizerMetadata
{
    public static List<KeyValuePair<string, object>> FromTokenizerJson(string path, IReadOnlyList<int> eosIds, string? chatTemplate)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        JsonElement model = root.GetProperty("model");
        bool sentencePiece = model.TryGetProperty("byte_fallback", out JsonElement fallback) && fallback.ValueKind == JsonValueKind.True;

        var tokens = new SortedDictionary<int, string>();
        foreach (JsonProperty entry in model.GetProperty("vocab").EnumerateObject())
        {
            tokens[entry.Value.GetInt32()] = entry.Name;
        }

        var types = new Dictionary<int, int>();
        if (root.TryGetProperty("added_tokens", out JsonElement addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement t in addedTokens.EnumerateArray())
            {
                int id = t.GetProperty("id").GetInt32();
                tokens[id] = t.GetProperty("content").GetString()!;
                types[id] = t.TryGetProperty("special", out JsonElement special) && special.ValueKind == JsonValueKind.True ? GgufTokenizer.Control : GgufTokenizer.UserDefined;
            }
        }

        if (tokens.Count == 0 || tokens.Keys.Last() != tokens.Count - 1)
        {
            throw new InvalidDataException($"{path}: token ids are not dense from 0");
        }

        string[] vocab = [.. tokens.Values];
        string? unknown = model.TryGetProperty("unk_token", out JsonElement unk) && unk.ValueKind == JsonValueKind.String ? unk.GetString() : null;
        int[] tokenTypes = new int[vocab.Length];
        for (int id = 0; id < vocab.Length; id++)
        {
            tokenTypes[id] = types.TryGetValue(id, out int type) ? type
                : vocab[id] == unknown ? GgufTokenizer.Unknown
                : sentencePiece && vocab[id].Length == 6 && vocab[id].StartsWith("<0x", StringComparison.Ordinal) && vocab[id].EndsWith('>') ? GgufTokenizer.Byte
                : GgufTokenizer.Normal;
        }

        List<(string Left, string Right)> merges = Merges(model.GetProperty("merges"), path);
        int[] bos = [.. PrefixIds(root)];
        var entries = new List<KeyValuePair<string, object>>
        {
            new(GgufTokenizer.ModelKey, sentencePiece ? "llama" : "gpt2"),
        };
        if (!sentencePiece)
        {
            entries.Add(new(GgufTokenizer.PreKey, PreName(root, path)));
        }

        entries.Add(new(GgufTokenizer.TokensKey, vocab));
        entries.Add(new(GgufTokenizer.TypesKey, tokenTypes));
        if (sentencePiece)
        {
            entries.Add(new(GgufTokenizer.ScoresKey, Scores(vocab, merges)));
            entries.Add(new(GgufTokenizer.AddSpacePrefixKey, root.GetProperty("normalizer").GetRawText().Contains("\"Prepend\"", StringComparison.Ordinal)));
        }
        else
        {
            entries.Add(new(GgufTokenizer.MergesKey, merges.Select(p => $"{p.Left} {p.Right}").ToArray()));
        }

        if (bos.Length > 0)
        {
            entries.Add(new(GgufTokenizer.BosKey, (uint)bos[0]));
        }

        entries.Add(new(GgufTokenizer.AddBosKey, bos.Length > 0));
        if (eosIds.Count > 0)
        {
            entries.Add(new(GgufTokenizer.EosKey, (uint)eosIds[0]));
        }

        if (unknown is not null && Array.IndexOf(vocab, unknown) is int unknownId and >= 0)
        {
            entries.Add(new(GgufTokenizer.UnknownKey, (uint)unknownId));
        }

        if (chatTemplate is not null)
        {
            entries.Add(new(GgufTokenizer.ChatTemplateKey, chatTemplate));
        }

        return entries;
    }

    private static List<(string, string)> Merges(JsonElement merges, string path) =>
        [.. merges.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.Array
            ? (m[0].GetString()!, m[1].GetString()!)
            : m.GetString()!.Split(' ') is [string l, string r] ? (l, r) : throw new InvalidDataException($"{path}: merge '{m.GetString()}' is not two tokens"))];

    // Score = −(rank of the first merge producing the piece); pieces no merge produces rank below all of them.
    private static float[] Scores(string[] vocab, List<(string Left, string Right)> merges)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            first.TryAdd(merges[rank].Left + merges[rank].Right, rank);
        }

        return [.. vocab.Select(piece => first.TryGetValue(piece, out int rank) ? -(float)rank : -(float)(merges.Count + 1))];
    }

    private static IEnumerable<int> PrefixIds(JsonElement root)
    {
        if (!root.TryGetProperty("post_processor", out JsonElement post) || post.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        IEnumerable<JsonElement> processors = post.TryGetProperty("processors", out JsonElement list) ? list.EnumerateArray() : [post];
        foreach (JsonElement processor in processors.Where(p => p.TryGetProperty("single", out _)))
        {
            foreach (JsonElement item in processor.GetProperty("single").EnumerateArray())
            {
                if (item.TryGetProperty("Sequence", out _))
                {
                    yield break;
                }

                string name = item.GetProperty("SpecialToken").GetProperty("id").GetString()!;
                foreach (JsonElement id in processor.GetProperty("special_tokens").GetProperty(name).GetProperty("ids").EnumerateArray())
                {
                    yield return id.GetInt32();
                }
            }
        }
    }

    private static string PreName(JsonElement root, string path)
    {
        JsonElement pre = root.TryGetProperty("pre_tokenizer", out JsonElement p) ? p : default;
        JsonElement[] steps = pre.ValueKind != JsonValueKind.Object ? []
            : pre.TryGetProperty("pretokenizers", out JsonElement list) ? [.. list.EnumerateArray()] : [pre];
        string? regex = steps.Where(s => s.GetProperty("type").GetString() == "Split" && s.GetProperty("pattern").TryGetProperty("Regex", out _))
            .Select(s => s.GetProperty("pattern").GetProperty("Regex").GetString()).FirstOrDefault();
        bool byteLevelRegex = steps.Any(s => s.GetProperty("type").GetString() == "ByteLevel"
            && !(s.TryGetProperty("use_regex", out JsonElement useRegex) && useRegex.ValueKind == JsonValueKind.False));
        return regex switch
        {
            Cl100kPreTokenizer.Llama3Pattern => "llama-bpe",
            Cl100kPreTokenizer.Qwen2Pattern => "qwen2",
            null when byteLevelRegex => "gpt-2",
            _ => throw new NotSupportedException($"{path}: the pre-tokenizer has no llama.cpp name this exporter knows (Llama 3, Qwen2 or GPT-2 splits)"),
        };
    }
}
