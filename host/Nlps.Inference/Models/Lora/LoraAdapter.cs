using System.Globalization;
using System.Text.RegularExpressions;
using Nlps.Formats.Peft;
using Nlps.Formats.Safetensors;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Safetensors;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Lora;

/// <summary>
/// A PEFT LoRA adapter (adapter_config.json + adapter_model.safetensors) loaded for one Llama-family model: f32 A and B
/// matrices for the q/k/v/o/gate/up/down projections it adapts. Several adapters share one base model in memory; the
/// decoder applies a sequence's adapter unmerged (<c>LlamaModel.Prefill</c> / <c>DecodeBatch</c> with adapters),
/// or one adapter is merged into the weights at load. Shapes, ranks and targets are checked against the model's
/// config.json first; a mismatch names the tensor and both shapes.
/// </summary>
public sealed partial class LoraAdapter
{
    private static readonly string[] Modules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    private readonly LoraMatrix?[][] _byLayer;
    private readonly Dictionary<string, LoraMatrix> _byTensor;

    private LoraAdapter(string name, LlamaConfig config, LoraAdapterConfig adapterConfig, LoraMatrix?[][] byLayer, Dictionary<string, LoraMatrix> byTensor)
    {
        Name = name;
        Config = config;
        Rank = adapterConfig.Rank;
        Scale = adapterConfig.Scale;
        TargetModules = adapterConfig.TargetModules;
        _byLayer = byLayer;
        _byTensor = byTensor;
    }

    public string Name { get; }

    public int Rank { get; }

    /// <summary>alpha / r, or alpha / √r with rsLoRA.</summary>
    public double Scale { get; }

    public IReadOnlyList<string> TargetModules { get; }

    /// <summary>Bytes of the A and B matrices in memory (f32).</summary>
    public long ByteSize => _byTensor.Values.Sum(m => m.ByteSize);

    internal LlamaConfig Config { get; }

    /// <summary>Loads the adapter in <paramref name="folder"/> for a model of <paramref name="config"/>; <paramref name="name"/> defaults to the folder's name.</summary>
    public static LoraAdapter Load(string folder, LlamaConfig config, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(config);
        name ??= Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        string configPath = Path.Combine(folder, LoraAdapterConfig.FileName);
        if (!File.Exists(configPath))
        {
            throw new ModelConfigException($"adapter '{name}' ({folder}): {LoraAdapterConfig.FileName} is missing");
        }

        try
        {
            LoraAdapterConfig adapterConfig = LoraAdapterConfig.Parse(File.ReadAllBytes(configPath), configPath);
            using SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.Open(folder);
            var shapes = checkpoint.TensorNames.ToDictionary(n => n, n => checkpoint.Describe(n).Shape, StringComparer.Ordinal);
            IReadOnlyList<LoraPair> pairs = LoraLayout.Match(adapterConfig, shapes, n => BaseShape(config, n), $"adapter '{name}'");
            return Create(name, config, adapterConfig, pairs.Select(p => (p, Read(checkpoint, p.TensorA, name), Read(checkpoint, p.TensorB, name))));
        }
        catch (LoraAdapterException ex)
        {
            throw new ModelConfigException(ex.Message, ex);
        }
        catch (SafetensorsFormatException ex)
        {
            throw new ModelConfigException($"adapter '{name}': {ex.Message}", ex);
        }
    }

    /// <summary>An adapter from matched pairs and their A ([Rank, In]) and B ([Out, Rank]) values, row-major.</summary>
    internal static LoraAdapter Create(string name, LlamaConfig config, LoraAdapterConfig adapterConfig, IEnumerable<(LoraPair Pair, float[] A, float[] B)> matrices)
    {
        var byLayer = new LoraMatrix?[config.Layers][];
        for (int l = 0; l < config.Layers; l++)
        {
            byLayer[l] = new LoraMatrix?[Modules.Length];
        }

        var byTensor = new Dictionary<string, LoraMatrix>(StringComparer.Ordinal);
        float scale = (float)adapterConfig.Scale;
        foreach ((LoraPair pair, float[] a, float[] b) in matrices)
        {
            Match match = LayerTensor().Match(pair.BaseTensor);
            if (!match.Success)
            {
                throw new ModelConfigException($"adapter '{name}': tensor '{pair.TensorA}' adapts '{pair.BaseTensor}'; the CPU engine applies LoRA to the q/k/v/o/gate/up/down projections only");
            }

            var matrix = new LoraMatrix(a, b, pair.Rank, pair.In, pair.Out, scale);
            byLayer[int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture)][Array.IndexOf(Modules, match.Groups[3].Value)] = matrix;
            byTensor[pair.BaseTensor] = matrix;
        }

        return new LoraAdapter(name, config, adapterConfig, byLayer, byTensor);
    }

    internal LoraMatrix? For(int layer, LoraTarget target) => _byLayer[layer][(int)target];

    internal LoraMatrix? ForTensor(string baseTensor) => _byTensor.GetValueOrDefault(baseTensor);

    // The shape config.json implies for a base tensor (the output head and embedding too, so an adapter of them is
    // refused as unsupported rather than as unknown).
    private static IReadOnlyList<long>? BaseShape(LlamaConfig c, string name)
    {
        if (name is "lm_head.weight" or "model.embed_tokens.weight")
        {
            return [c.VocabSize, c.HiddenSize];
        }

        Match match = LayerTensor().Match(name);
        if (!match.Success || !int.TryParse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out int layer) || layer >= c.Layers)
        {
            return null;
        }

        long q = (long)c.Heads * c.HeadDim;
        long kv = (long)c.KvHeads * c.HeadDim;
        return (match.Groups[2].Value, match.Groups[3].Value) switch
        {
            ("self_attn", "q_proj") => [q, c.HiddenSize],
            ("self_attn", "k_proj" or "v_proj") => [kv, c.HiddenSize],
            ("self_attn", "o_proj") => [c.HiddenSize, q],
            ("mlp", "gate_proj" or "up_proj") => [c.IntermediateSize, c.HiddenSize],
            ("mlp", "down_proj") => [c.HiddenSize, c.IntermediateSize],
            _ => null,
        };
    }

    private static float[] Read(SafetensorsCheckpoint checkpoint, string tensor, string name)
    {
        SafetensorsTensor description = checkpoint.Describe(tensor);
        if (description.Dtype is not ("F32" or "F16" or "BF16"))
        {
            throw new ModelConfigException($"adapter '{name}': tensor '{tensor}' has dtype {description.Dtype}; LoRA matrices must be F32, F16 or BF16");
        }

        var values = new float[description.Elements];
        GgmlBlocks.ToSingle(checkpoint.Bytes(tensor), description.Dtype, values);
        return values;
    }

    [GeneratedRegex(@"^model\.layers\.(\d+)\.(self_attn|mlp)\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)\.weight\z", RegexOptions.CultureInvariant)]
    private static partial Regex LayerTensor();
}
