using System.Globalization;
using System.Text.Json.Nodes;

namespace Nlps.Testing.Models;

/// <summary>
/// A model folder in a temp directory, as Hugging Face lays it out: config.json, safetensors weights (one file or
/// shards with model.safetensors.index.json), tokenizer.json and tokenizer_config.json. Weights are random from a
/// fixed seed, so every run writes the same bytes. Deleted on dispose.
/// </summary>
public sealed class TinyModel : IDisposable
{
    public const string Llama3TemplateMarker = "{{- bos_token }}\n{%- set date_string = \"26 Jul 2024\" %}<|start_header_id|>system<|end_header_id|>\\n\\nCutting Knowledge Date: December 2023\\nToday Date: {{ date_string }}<|eot_id|>";
    public const string ChatMlTemplateMarker = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}You are a helpful assistant.";

    private TinyModel(string folder, TinyModelSpec spec)
    {
        Folder = folder;
        Spec = spec;
    }

    public string Folder { get; }

    public TinyModelSpec Spec { get; }

    public static TinyModel Create(TinyModelSpec spec)
    {
        string folder = Path.Combine(Path.GetTempPath(), "nlps-tiny-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var model = new TinyModel(folder, spec);
        model.Write();
        return model;
    }

    /// <summary>Every weight tensor of <paramref name="spec"/> with its random values, in checkpoint order.</summary>
    public static List<SafetensorsWriter.Entry> Weights(TinyModelSpec spec)
    {
        var random = new Random(spec.Seed);
        int headDim = spec.Hidden / spec.Heads;
        int q = spec.Heads * headDim;
        int kv = spec.KvHeads * headDim;
        var entries = new List<SafetensorsWriter.Entry>();

        void Matrix(string name, int rows, int cols, double scale) =>
            entries.Add(new(name, spec.Dtype, [rows, cols], SafetensorsWriter.Encode(Values(random, rows * cols, 0, scale), spec.Dtype)));

        void Vector(string name, int length, double center, double scale) =>
            entries.Add(new(name, spec.Dtype, [length], SafetensorsWriter.Encode(Values(random, length, center, scale), spec.Dtype)));

        Matrix("model.embed_tokens.weight", spec.Vocab, spec.Hidden, 1.0);
        for (int i = 0; i < spec.Layers; i++)
        {
            string p = string.Create(CultureInfo.InvariantCulture, $"model.layers.{i}.");
            Vector(p + "input_layernorm.weight", spec.Hidden, 1, 0.2);
            Matrix(p + "self_attn.q_proj.weight", q, spec.Hidden, 0.25);
            Matrix(p + "self_attn.k_proj.weight", kv, spec.Hidden, 0.25);
            Matrix(p + "self_attn.v_proj.weight", kv, spec.Hidden, 0.25);
            if (spec.QkvBias)
            {
                Vector(p + "self_attn.q_proj.bias", q, 0, 0.3);
                Vector(p + "self_attn.k_proj.bias", kv, 0, 0.3);
                Vector(p + "self_attn.v_proj.bias", kv, 0, 0.3);
            }

            Matrix(p + "self_attn.o_proj.weight", spec.Hidden, q, 0.2);
            Vector(p + "post_attention_layernorm.weight", spec.Hidden, 1, 0.2);
            Matrix(p + "mlp.gate_proj.weight", spec.Intermediate, spec.Hidden, 0.25);
            Matrix(p + "mlp.up_proj.weight", spec.Intermediate, spec.Hidden, 0.25);
            Matrix(p + "mlp.down_proj.weight", spec.Hidden, spec.Intermediate, 0.2);
        }

        Vector("model.norm.weight", spec.Hidden, 1, 0.2);
        if (!spec.Tied)
        {
            Matrix("lm_head.weight", spec.Vocab, spec.Hidden, 0.3);
        }

        return entries;
    }

    /// <summary>The tiny byte-level tokenizer every fixture model uses, with the chat special tokens of its family.</summary>
    public static TinyTokenizerJson Tokenizer(string modelType)
    {
        var tokenizer = new TinyTokenizerJson()
            .Merge("h", "e").Merge("l", "l").Merge("he", "ll").Merge("hell", "o").Merge(" ", "w").Merge("o", "r")
            .Merge(" w", "or").Merge(" wor", "l").Merge(" worl", "d").Merge("t", "h").Merge(" ", "th").Merge(" th", "e");
        if (modelType == "qwen2")
        {
            tokenizer.Added("<|endoftext|>", special: true).Added("<|im_start|>", special: true).Added("<|im_end|>", special: true);
        }
        else
        {
            tokenizer.Added("<|begin_of_text|>", special: true).Added("<|end_of_text|>", special: true)
                .Added("<|start_header_id|>", special: true).Added("<|end_header_id|>", special: true).Added("<|eot_id|>", special: true);
        }

        return tokenizer;
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

    private static float[] Values(Random random, int count, double center, double scale)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(center + (scale * ((2 * random.NextDouble()) - 1)));
        }

        return values;
    }

    private void Write()
    {
        var spec = Spec;
        var tokenizerJson = Tokenizer(spec.ModelType).ToJson();
        File.WriteAllText(Path.Combine(Folder, "tokenizer.json"), tokenizerJson.ToJsonString());
        var tokenizer = TinyTokenizerJson.Load(tokenizerJson);
        bool qwen = spec.ModelType == "qwen2";
        int eos = tokenizer.TokenToId(qwen ? "<|im_end|>" : "<|eot_id|>")!.Value;
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray(qwen ? "Qwen2ForCausalLM" : spec.ModelType == "mistral" ? "MistralForCausalLM" : "LlamaForCausalLM"),
            ["model_type"] = spec.ModelType,
            ["hidden_size"] = spec.Hidden,
            ["intermediate_size"] = spec.Intermediate,
            ["num_hidden_layers"] = spec.Layers,
            ["num_attention_heads"] = spec.Heads,
            ["num_key_value_heads"] = spec.KvHeads,
            ["vocab_size"] = spec.Vocab,
            ["max_position_embeddings"] = spec.MaxPositions,
            ["rms_norm_eps"] = 1e-5,
            ["rope_theta"] = spec.RopeTheta,
            ["hidden_act"] = "silu",
            ["tie_word_embeddings"] = spec.Tied,
            ["torch_dtype"] = spec.Dtype == "F32" ? "float32" : spec.Dtype == "F16" ? "float16" : "bfloat16",
            ["bos_token_id"] = qwen ? null : tokenizer.TokenToId("<|begin_of_text|>"),
            ["eos_token_id"] = qwen ? eos : new JsonArray(tokenizer.TokenToId("<|end_of_text|>"), eos),
        };
        if (spec.Llama3RopeScaling)
        {
            // With head_dim 8 and θ = 10000 the wavelengths are 6, 63, 628, 6283: with 64 as the original context one is kept,
            // one is in the smooth band (16..64) and two are divided by the factor, and all rotate visibly within 20 positions.
            config["rope_scaling"] = new JsonObject
            {
                ["rope_type"] = "llama3",
                ["factor"] = 8.0,
                ["low_freq_factor"] = 1.0,
                ["high_freq_factor"] = 4.0,
                ["original_max_position_embeddings"] = 64,
            };
        }

        File.WriteAllText(Path.Combine(Folder, "config.json"), config.ToJsonString());
        File.WriteAllText(Path.Combine(Folder, "tokenizer_config.json"), new JsonObject
        {
            ["chat_template"] = qwen ? ChatMlTemplateMarker : Llama3TemplateMarker,
            ["bos_token"] = qwen ? null : "<|begin_of_text|>",
            ["eos_token"] = qwen ? "<|im_end|>" : "<|eot_id|>",
        }.ToJsonString());

        List<SafetensorsWriter.Entry> weights = Weights(spec);
        if (spec.Shards <= 1)
        {
            SafetensorsWriter.Write(Path.Combine(Folder, "model.safetensors"), weights);
            return;
        }

        var map = new JsonObject();
        int perShard = (weights.Count + spec.Shards - 1) / spec.Shards;
        for (int s = 0; s < spec.Shards; s++)
        {
            string file = string.Create(CultureInfo.InvariantCulture, $"model-{s + 1:D5}-of-{spec.Shards:D5}.safetensors");
            var part = weights.Skip(s * perShard).Take(perShard).ToList();
            SafetensorsWriter.Write(Path.Combine(Folder, file), part);
            foreach (var e in part)
            {
                map[e.Name] = file;
            }
        }

        File.WriteAllText(Path.Combine(Folder, "model.safetensors.index.json"), new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map }.ToJsonString());
    }
}
