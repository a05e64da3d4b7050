using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.Json;
using Nlps.Formats.Gguf;
using Nlps.Inference.Models;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Safetensors;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Gguf;

/// <summary>
/// Writes a Hugging Face decoder folder (config.json, safetensors, tokenizer.json) as a GGUF file llama.cpp loads:
/// llama.cpp's tensor names, q/k rows permuted for the <c>llama</c> architecture, matrices as F32, F16, BF16, Q8_0,
/// Q4_0, Q4_K or Q6_K (norms and biases stay F32; a matrix whose rows are not whole K-quant super-blocks of 256 falls
/// back to Q4_0 for Q4_K and Q8_0 for Q6_K, as llama.cpp's quantizer also falls back), llama3 RoPE scaling as <c>rope_freqs.weight</c>, and the tokenizer and chat
/// template in <c>tokenizer.*</c> metadata. One tensor is converted at a time, so memory stays at one tensor's size.
/// </summary>
public static class GgufExporter
{
    /// <summary>Matrix types an export can use.</summary>
    public static readonly IReadOnlyList<GgufTensorType> MatrixTypes =
        [GgufTensorType.F32, GgufTensorType.F16, GgufTensorType.BF16, GgufTensorType.Q8_0, GgufTensorType.Q4_0, GgufTensorType.Q4_K, GgufTensorType.Q6_K];

    /// <summary>Converts <paramref name="folder"/> into <paramref name="outputPath"/>; returns the tensors written.</summary>
    public static int Export(string folder, string outputPath, GgufTensorType matrixType)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        if (!MatrixTypes.Contains(matrixType))
        {
            throw new ArgumentOutOfRangeException(nameof(matrixType), matrixType, "export types are F32, F16, BF16, Q8_0, Q4_0, Q4_K and Q6_K");
        }

        LlamaConfig config = LlamaConfig.Load(Path.Combine(folder, "config.json"));
        using SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.Open(folder);
        string tokenizerPath = Path.Combine(folder, "tokenizer.json");
        List<KeyValuePair<string, object>> tokenizer = File.Exists(tokenizerPath)
            ? GgufTokenizerMetadata.FromTokenizerJson(tokenizerPath, config.EosTokenIds, ChatTemplate(folder))
            : [];
        return Export(new SafetensorsWeightSource(checkpoint), checkpoint.TensorNames, config, Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), tokenizer, outputPath, matrixType);
    }

    /// <summary>Writes the tensors <paramref name="names"/> (Hugging Face names) of <paramref name="source"/> as a GGUF file; returns the tensors written.</summary>
    internal static int Export(
        IWeightSource source,
        IEnumerable<string> names,
        LlamaConfig config,
        string name,
        IEnumerable<KeyValuePair<string, object>> tokenizer,
        string outputPath,
        GgufTensorType matrixType)
    {
        bool permute = GgufModelConfig.Architecture(config) == "llama";
        var metadata = GgufModelConfig.Write(config, name);
        metadata.Add(new("general.file_type", FileType(matrixType)));
        metadata.Add(new("general.quantization_version", 2u));
        metadata.AddRange(tokenizer);

        var tensors = new List<GgufTensorData>();
        foreach (string hf in names.OrderBy(Order, StringComparer.Ordinal))
        {
            string gguf = GgufTensorNames.ToGguf(hf) ?? throw new ModelConfigException($"{source.Origin}: tensor '{hf}' has no llama.cpp name");
            if (hf == "lm_head.weight" && config.TieWordEmbeddings)
            {
                continue;
            }

            TensorDescription d = source.Describe(hf);
            bool matrix = d.Shape.Length == 2;
            GgufTensorType type = matrix ? MatrixType(matrixType, d.Shape[1]) : GgufTensorType.F32;
            if (matrix && type is GgufTensorType.Q8_0 or GgufTensorType.Q4_0 && d.Shape[1] % 32 != 0)
            {
                throw new ModelConfigException($"{source.Origin}: tensor '{hf}' has {d.Shape[1]} columns; {type} needs a multiple of 32");
            }

            bool permuted = permute && (hf.EndsWith("self_attn.q_proj.weight", StringComparison.Ordinal) || hf.EndsWith("self_attn.k_proj.weight", StringComparison.Ordinal));
            tensors.Add(new GgufTensorData(gguf, type, [.. d.Shape.Reverse()], stream => WriteTensor(stream, source, hf, d, type, permuted ? config.HeadDim : 0)));
        }

        if (GgufModelConfig.RopeFactors(config) is float[] factors)
        {
            tensors.Add(new GgufTensorData(GgufModelConfig.RopeFactorsTensor, GgufTensorType.F32, [factors.Length], stream => stream.Write(MemoryMarshal.AsBytes(factors.AsSpan()))));
        }

        GgufWriter.Write(outputPath, metadata, tensors);
        return tensors.Count;
    }

    // Row by row: widen to f32, encode as the target type; permuted q/k rows are taken in GGUF order.
    private static void WriteTensor(Stream stream, IWeightSource source, string name, TensorDescription d, GgufTensorType type, int permuteHeadDim)
    {
        int cols = checked((int)d.Shape[^1]);
        int rows = checked((int)(d.Shape.Length == 2 ? d.Shape[0] : 1));
        ReadOnlySpan<byte> bytes = source.Bytes(name);
        int sourceRowBytes = GgmlBlocks.RowBytes(d.Dtype, cols);
        var values = new float[cols];
        byte[] encoded = new byte[GgufTensorTypes.RowBytes(type, cols)];
        for (int g = 0; g < rows; g++)
        {
            int r = permuteHeadDim > 0 ? GgufTensorNames.HuggingFaceRowOf(g, permuteHeadDim) : g;
            GgmlBlocks.ToSingle(bytes.Slice(r * sourceRowBytes, sourceRowBytes), d.Dtype, values);
            switch (type)
            {
                case GgufTensorType.F32:
                    MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(encoded);
                    break;
                case GgufTensorType.F16:
                    TensorPrimitives.ConvertToHalf(values, MemoryMarshal.Cast<byte, Half>(encoded.AsSpan()));
                    break;
                case GgufTensorType.BF16:
                    BFloat16.FromSingle(values, MemoryMarshal.Cast<byte, ushort>(encoded.AsSpan()));
                    break;
                case GgufTensorType.Q8_0:
                    GgmlBlocks.QuantizeQ8(values, encoded);
                    break;
                case GgufTensorType.Q4_K:
                    GgmlKQuants.QuantizeQ4K(values, encoded);
                    break;
                case GgufTensorType.Q6_K:
                    GgmlKQuants.QuantizeQ6K(values, encoded);
                    break;
                default:
                    GgmlBlocks.QuantizeQ4(values, encoded);
                    break;
            }

            stream.Write(encoded);
        }
    }

    // K-quants need rows of whole super-blocks of 256 values.
    private static GgufTensorType MatrixType(GgufTensorType wanted, long cols) => wanted switch
    {
        GgufTensorType.Q4_K when cols % GgmlKQuants.SuperBlock != 0 => GgufTensorType.Q4_0,
        GgufTensorType.Q6_K when cols % GgmlKQuants.SuperBlock != 0 => GgufTensorType.Q8_0,
        _ => wanted,
    };

    // llama.cpp's ftype numbering (llama_ftype): ALL_F32 0, MOSTLY_F16 1, MOSTLY_Q4_0 2, MOSTLY_Q8_0 7,
    // MOSTLY_Q4_K_S 14 (all-Q4_K is closest to it), MOSTLY_Q6_K 18, MOSTLY_BF16 32.
    private static uint FileType(GgufTensorType type) => type switch
    {
        GgufTensorType.F32 => 0,
        GgufTensorType.F16 => 1,
        GgufTensorType.Q4_0 => 2,
        GgufTensorType.Q8_0 => 7,
        GgufTensorType.Q4_K => 14,
        GgufTensorType.Q6_K => 18,
        _ => 32,
    };

    // Embedding first, then layers in numeric order, then the output norm and head (llama.cpp's own order).
    private static string Order(string hf)
    {
        if (hf.StartsWith("model.layers.", StringComparison.Ordinal))
        {
            int dot = hf.IndexOf('.', "model.layers.".Length);
            int layer = int.Parse(hf.AsSpan("model.layers.".Length, dot - "model.layers.".Length), CultureInfo.InvariantCulture);
            return string.Create(CultureInfo.InvariantCulture, $"1.{layer:D6}.{hf[dot..]}");
        }

        return hf == "model.embed_tokens.weight" ? "0" : "2." + hf;
    }

    private static string? ChatTemplate(string folder)
    {
        string path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path))
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.TryGetProperty("chat_template", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
    }
}
