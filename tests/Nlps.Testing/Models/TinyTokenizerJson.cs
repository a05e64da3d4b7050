using System.Text;
using System.Text.Json.Nodes;
using Nlps.Inference.Tokenization;

namespace Nlps.Testing.Models;

/// <summary>
/// Builds small byte-level tokenizer.json documents for unit tests: ids 0–255 are the 256 byte characters
/// (in GPT-2's byte-to-unicode order), each merge adds the next id, added tokens follow.
/// </summary>
public sealed class TinyTokenizerJson
{
    // GPT-2's bytes_to_unicode: printable bytes map to themselves, the other 68 to U+0100 onwards in byte order.
    private static readonly char[] ByteToChar = BuildByteMap();

    private readonly List<(string Left, string Right)> _merges = [];
    private readonly List<JsonObject> _added = [];

    public bool IgnoreMerges { get; init; }

    public bool MergesAsArrays { get; init; }

    public string SplitPattern { get; init; } = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Adds a merge of two tokens written as plain text (' ' is written 'Ġ' in the vocabulary).</summary>
    public TinyTokenizerJson Merge(string left, string right)
    {
        _merges.Add((ByteLevel(left), ByteLevel(right)));
        return this;
    }

    public TinyTokenizerJson Added(string content, bool special, bool lstrip = false, bool rstrip = false, bool singleWord = false)
    {
        _added.Add(new JsonObject
        {
            ["content"] = content,
            ["special"] = special,
            ["lstrip"] = lstrip,
            ["rstrip"] = rstrip,
            ["single_word"] = singleWord,
            ["normalized"] = false,
        });
        return this;
    }

    public static string ByteLevel(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = ByteToChar[bytes[i]];
        }

        return new string(chars);
    }

    public JsonObject ToJson()
    {
        var vocab = new JsonObject();
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            vocab[ByteToChar[b].ToString()] = next++;
        }

        var merges = new JsonArray();
        foreach (var (left, right) in _merges)
        {
            vocab.TryAdd(left + right, next++);
            merges.Add(MergesAsArrays ? new JsonArray(left, right) : (JsonNode)$"{left} {right}");
        }

        var added = new JsonArray();
        foreach (var token in _added)
        {
            token["id"] = next++;
            added.Add(token);
        }

        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = SplitPattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
            },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["ignore_merges"] = IgnoreMerges,
                ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
    }

    public ITokenizer Build() => Load(ToJson());

    public static ITokenizer Load(JsonObject json) =>
        TokenizerJson.Load(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString())));

    private static char[] BuildByteMap()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }
}
