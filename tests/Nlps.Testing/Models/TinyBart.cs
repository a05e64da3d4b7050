using System.Globalization;
using System.Text.Json.Nodes;

namespace Nlps.Testing.Models;

/// <summary>
/// A BART model folder (BartForConditionalGeneration names) in a temp directory: config.json, random f32 weights from a
/// fixed seed, and a byte-level tokenizer.json (no merges: one token per UTF-8 byte) with BART's special tokens added (&lt;s&gt;, &lt;pad&gt;,
/// &lt;/s&gt;, &lt;unk&gt;), so any text, Korean included, encodes. d_model 32, 2 heads, one encoder and one decoder
/// layer, 64 positions. Deleted on dispose.
/// </summary>
public sealed class TinyBart : IDisposable
{
    public const int Hidden = 32;
    public const int Ffn = 64;
    public const int MaxPositions = 64;

    private readonly TempFolder _folder;

    private TinyBart(TempFolder folder, int vocab, int eos)
    {
        _folder = folder;
        Vocab = vocab;
        EosTokenId = eos;
    }

    public string Folder => _folder.Path;

    public int Vocab { get; }

    public int EosTokenId { get; }

    public static TinyBart Create(int seed = 2024)
    {
        var folder = new TempFolder("nlps-bart");
        JsonObject tokenizer = new TinyTokenizerJson()
            .Added("<s>", special: true).Added("<pad>", special: true).Added("</s>", special: true).Added("<unk>", special: true).ToJson();
        var ids = tokenizer["added_tokens"]!.AsArray().ToDictionary(t => (string)t!["content"]!, t => (int)t!["id"]!);
        int vocab = ids.Values.Max() + 1;
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("BartForConditionalGeneration"),
            ["model_type"] = "bart",
            ["activation_function"] = "gelu",
            ["d_model"] = Hidden,
            ["encoder_layers"] = 1,
            ["decoder_layers"] = 1,
            ["encoder_attention_heads"] = 2,
            ["decoder_attention_heads"] = 2,
            ["encoder_ffn_dim"] = Ffn,
            ["decoder_ffn_dim"] = Ffn,
            ["vocab_size"] = vocab,
            ["max_position_embeddings"] = MaxPositions,
            ["scale_embedding"] = false,
            ["bos_token_id"] = ids["<s>"],
            ["pad_token_id"] = ids["<pad>"],
            ["eos_token_id"] = ids["</s>"],
            ["decoder_start_token_id"] = ids["</s>"],
        };
        File.WriteAllText(folder.Combine("config.json"), config.ToJsonString());
        File.WriteAllText(folder.Combine("tokenizer.json"), tokenizer.ToJsonString());
        SafetensorsWriter.Write(folder.Combine("model.safetensors"), Weights(seed, vocab));
        return new TinyBart(folder, vocab, ids["</s>"]);
    }

    public void Dispose() => _folder.Dispose();

    private static List<SafetensorsWriter.Entry> Weights(int seed, int vocab)
    {
        var random = new Random(seed);
        var entries = new List<SafetensorsWriter.Entry>();

        void Tensor(string name, long[] shape, double center, double scale)
        {
            float[] values = [.. Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(center + (scale * ((2 * random.NextDouble()) - 1))))];
            entries.Add(new(name, "F32", shape, SafetensorsWriter.Encode(values, "F32")));
        }

        // Sharp attention (large q/k) and small token embeddings (they are also the output head): otherwise a random
        // model settles on repeating one token and beam search finds nothing greedy did not.
        void Linear(string name, int rows, int cols)
        {
            Tensor(name + ".weight", [rows, cols], 0, name.EndsWith("q_proj", StringComparison.Ordinal) || name.EndsWith("k_proj", StringComparison.Ordinal) ? 1.0 : 0.3);
            Tensor(name + ".bias", [rows], 0, 0.2);
        }

        void Norm(string name)
        {
            Tensor(name + ".weight", [Hidden], 1, 0.2);
            Tensor(name + ".bias", [Hidden], 0, 0.2);
        }

        Tensor("model.shared.weight", [vocab, Hidden], 0, 0.3);
        foreach (string side in (string[])["encoder", "decoder"])
        {
            Tensor($"model.{side}.embed_positions.weight", [MaxPositions + 2, Hidden], 0, 1);
            Norm($"model.{side}.layernorm_embedding");
            string p = string.Create(CultureInfo.InvariantCulture, $"model.{side}.layers.0.");
            foreach (string block in side == "encoder" ? (string[])["self_attn"] : ["self_attn", "encoder_attn"])
            {
                foreach (string projection in (string[])["q_proj", "k_proj", "v_proj", "out_proj"])
                {
                    Linear($"{p}{block}.{projection}", Hidden, Hidden);
                }

                Norm($"{p}{block}_layer_norm");
            }

            Linear(p + "fc1", Ffn, Hidden);
            Linear(p + "fc2", Hidden, Ffn);
            Norm(p + "final_layer_norm");
        }

        Tensor("final_logits_bias", [1, vocab], 0, 0.5);
        return entries;
    }
}
