using System.Globalization;
using System.Text.Json.Nodes;

namespace Nlps.Testing.Models;

/// <summary>
/// A PEFT LoRA adapter folder for a <see cref="TinyModel"/>: adapter_config.json and adapter_model.safetensors with
/// tensors named as PEFT saves them (<c>base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight</c>, A = [r, in],
/// B = [out, r]), random from a fixed seed. <c>Write</c>'s <c>edit</c> lets a test break the tensor list on purpose.
/// </summary>
public static class TinyAdapter
{
    public static readonly IReadOnlyList<string> AttentionTargets = ["q_proj", "k_proj", "v_proj", "o_proj"];

    public static string Write(
        string folder,
        TinyModelSpec model,
        int rank = 4,
        double alpha = 8,
        IReadOnlyList<string>? targets = null,
        int seed = 77,
        bool rsLora = false,
        string? baseModel = null,
        Func<List<SafetensorsWriter.Entry>, IEnumerable<SafetensorsWriter.Entry>>? edit = null)
    {
        targets ??= AttentionTargets;
        Directory.CreateDirectory(folder);
        List<SafetensorsWriter.Entry> tensors = Tensors(model, rank, targets, seed);
        SafetensorsWriter.Write(Path.Combine(folder, "adapter_model.safetensors"), edit is null ? tensors : edit(tensors));
        var config = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = "CAUSAL_LM",
            ["base_model_name_or_path"] = baseModel,
            ["r"] = rank,
            ["lora_alpha"] = alpha,
            ["use_rslora"] = rsLora,
            ["lora_dropout"] = 0.05,
            ["bias"] = "none",
            ["target_modules"] = new JsonArray([.. targets.Select(t => JsonValue.Create(t))]),
        };
        File.WriteAllText(Path.Combine(folder, "adapter_config.json"), config.ToJsonString());
        return folder;
    }

    /// <summary>The A and B tensors for every layer and target, in file order.</summary>
    public static List<SafetensorsWriter.Entry> Tensors(TinyModelSpec model, int rank, IReadOnlyList<string> targets, int seed)
    {
        var random = new Random(seed);
        var entries = new List<SafetensorsWriter.Entry>();
        for (int layer = 0; layer < model.Layers; layer++)
        {
            foreach (string target in targets)
            {
                (int outDim, int inDim) = Shape(model, target);
                string prefix = string.Create(CultureInfo.InvariantCulture, $"base_model.model.model.layers.{layer}.{(target is "gate_proj" or "up_proj" or "down_proj" ? "mlp" : "self_attn")}.{target}");
                entries.Add(new(prefix + ".lora_A.weight", "F32", [rank, inDim], SafetensorsWriter.Encode(Values(random, rank * inDim), "F32")));
                entries.Add(new(prefix + ".lora_B.weight", "F32", [outDim, rank], SafetensorsWriter.Encode(Values(random, outDim * rank), "F32")));
            }
        }

        return entries;
    }

    /// <summary>[out, in] of a projection of <paramref name="model"/>.</summary>
    public static (int Out, int In) Shape(TinyModelSpec model, string target)
    {
        ArgumentNullException.ThrowIfNull(model);
        int headDim = model.Hidden / model.Heads;
        return target switch
        {
            "q_proj" => (model.Heads * headDim, model.Hidden),
            "k_proj" or "v_proj" => (model.KvHeads * headDim, model.Hidden),
            "o_proj" => (model.Hidden, model.Heads * headDim),
            "gate_proj" or "up_proj" => (model.Intermediate, model.Hidden),
            "down_proj" => (model.Hidden, model.Intermediate),
            _ => (model.Hidden, model.Hidden),
        };
    }

    private static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(0.3 * ((2 * random.NextDouble()) - 1));
        }

        return values;
    }
}
