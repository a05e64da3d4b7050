using System.Globalization;
using System.Text.Json.Nodes;

namespace Nlps.Testing.Models;

/// <summary>
/// A BERT or XLM-R encoder folder in a temp directory: config.json, random f32 weights (fixed seed), a small
/// uncased WordPiece tokenizer.json (ASCII letters, digits and punctuation; anything else is [UNK]) and, when the
/// spec says so, sentence-transformers' modules.json and 1_Pooling/config.json. Deleted on dispose.
/// </summary>
public sealed class TinyEncoder : IDisposable
{
    private TinyEncoder(string folder, TinyEncoderSpec spec)
    {
        Folder = folder;
        Spec = spec;
    }

    public string Folder { get; }

    public TinyEncoderSpec Spec { get; }

    public static TinyEncoder Create(TinyEncoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string folder = Path.Combine(Path.GetTempPath(), "nlps-encoder-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var encoder = new TinyEncoder(folder, spec);
        encoder.Write();
        return encoder;
    }

    /// <summary>The WordPiece vocabulary, in id order: [PAD] [UNK] [CLS] [SEP] [MASK], then characters and their ## forms.</summary>
    public static IReadOnlyList<string> Vocabulary()
    {
        var vocab = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        var characters = Enumerable.Range('!', '~' - '!' + 1).Select(c => ((char)c).ToString()).Where(c => !char.IsUpper(c[0])).ToList();
        vocab.AddRange(characters);
        vocab.AddRange(characters.Where(c => char.IsLetterOrDigit(c[0])).Select(c => "##" + c));
        vocab.AddRange(["the", "query", "passage", "##ing"]);
        return vocab;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A mapped file still open on another test thread; the temp folder is cleaned by the OS later.
        }
    }

    private void Write()
    {
        var spec = Spec;
        var vocab = Vocabulary();
        bool roberta = spec.ModelType == "xlm-roberta";
        var config = new JsonObject
        {
            ["model_type"] = spec.ModelType,
            ["hidden_size"] = spec.Hidden,
            ["num_hidden_layers"] = spec.Layers,
            ["num_attention_heads"] = spec.Heads,
            ["intermediate_size"] = spec.Intermediate,
            ["hidden_act"] = "gelu",
            ["vocab_size"] = vocab.Count,
            ["max_position_embeddings"] = spec.MaxPositions,
            ["type_vocab_size"] = roberta ? 1 : 2,
            ["layer_norm_eps"] = 1e-12,
            ["pad_token_id"] = roberta ? 1 : 0,
        };
        File.WriteAllText(Path.Combine(Folder, "config.json"), config.ToJsonString());
        SafetensorsWriter.Write(Path.Combine(Folder, "model.safetensors"), Weights(spec, vocab.Count, roberta ? 1 : 2));
        File.WriteAllText(Path.Combine(Folder, "tokenizer.json"), TokenizerJson(vocab).ToJsonString());
        if (spec.PoolingMode is not null)
        {
            var modules = new JsonArray
            {
                new JsonObject { ["idx"] = 0, ["name"] = "0", ["path"] = "", ["type"] = "sentence_transformers.models.Transformer" },
                new JsonObject { ["idx"] = 1, ["name"] = "1", ["path"] = "1_Pooling", ["type"] = "sentence_transformers.models.Pooling" },
            };
            if (spec.Normalize)
            {
                modules.Add(new JsonObject { ["idx"] = 2, ["name"] = "2", ["path"] = "2_Normalize", ["type"] = "sentence_transformers.models.Normalize" });
            }

            File.WriteAllText(Path.Combine(Folder, "modules.json"), modules.ToJsonString());
            Directory.CreateDirectory(Path.Combine(Folder, "1_Pooling"));
            File.WriteAllText(
                Path.Combine(Folder, "1_Pooling", "config.json"),
                new JsonObject { ["word_embedding_dimension"] = spec.Hidden, [spec.PoolingMode] = true }.ToJsonString());
        }
    }

    private static List<SafetensorsWriter.Entry> Weights(TinyEncoderSpec spec, int vocab, int types)
    {
        var random = new Random(spec.Seed);
        var entries = new List<SafetensorsWriter.Entry>();
        int h = spec.Hidden;

        void Tensor(string name, long[] shape, double center, double scale)
        {
            var values = new float[(int)shape.Aggregate(1L, (a, b) => a * b)];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)(center + (scale * ((2 * random.NextDouble()) - 1)));
            }

            entries.Add(new(name, "F32", shape, SafetensorsWriter.Encode(values, "F32")));
        }

        void Linear(string name, int rows, int cols)
        {
            Tensor(name + ".weight", [rows, cols], 0, 0.25);
            Tensor(name + ".bias", [rows], 0, 0.2);
        }

        void Norm(string name)
        {
            Tensor(name + ".weight", [h], 1, 0.2);
            Tensor(name + ".bias", [h], 0, 0.2);
        }

        Tensor("embeddings.word_embeddings.weight", [vocab, h], 0, 1);
        Tensor("embeddings.position_embeddings.weight", [spec.MaxPositions, h], 0, 0.5);
        Tensor("embeddings.token_type_embeddings.weight", [types, h], 0, 0.5);
        Norm("embeddings.LayerNorm");
        for (int i = 0; i < spec.Layers; i++)
        {
            string p = string.Create(CultureInfo.InvariantCulture, $"encoder.layer.{i}.");
            Linear(p + "attention.self.query", h, h);
            Linear(p + "attention.self.key", h, h);
            Linear(p + "attention.self.value", h, h);
            Linear(p + "attention.output.dense", h, h);
            Norm(p + "attention.output.LayerNorm");
            Linear(p + "intermediate.dense", spec.Intermediate, h);
            Linear(p + "output.dense", h, spec.Intermediate);
            Norm(p + "output.LayerNorm");
        }

        return entries;
    }

    private static JsonObject TokenizerJson(IReadOnlyList<string> vocab)
    {
        var vocabObject = new JsonObject();
        for (int i = 0; i < vocab.Count; i++)
        {
            vocabObject[vocab[i]] = i;
        }

        var added = new JsonArray();
        for (int i = 0; i < 5; i++)
        {
            added.Add(new JsonObject { ["id"] = i, ["content"] = vocab[i], ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true });
        }

        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject { ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = true, ["strip_accents"] = null, ["lowercase"] = true },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = new JsonObject { ["type"] = "BertProcessing", ["sep"] = new JsonArray("[SEP]", 3), ["cls"] = new JsonArray("[CLS]", 2) },
            ["decoder"] = new JsonObject { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new JsonObject { ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100, ["vocab"] = vocabObject },
        };
    }
}
