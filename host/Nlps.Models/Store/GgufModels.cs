using Nlps.Formats.Gguf;
using Nlps.Formats.Safetensors;
using Nlps.Inference.Gguf;
using Nlps.Inference.Models;
using Nlps.Inference.Models.Llama;
using Nlps.Models.Estimation;

namespace Nlps.Models.Store;

/// <summary>
/// A GGUF decoder in the store: one file, kept as <see cref="FileName"/> in the model folder beside the manifest. The
/// architecture, tokenizer and tensors are checked as the engine would load them; the manifest's dtype is the file's
/// quantization (the matrix type holding most weights, e.g. Q4_K).
/// </summary>
internal static class GgufModels
{
    public const string FileName = "model.gguf";

    public static bool IsFile(string path) => path.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) && File.Exists(path);

    /// <summary>Reads and checks a GGUF file; anything wrong is an <c>invalid_gguf</c> refusal naming the key or tensor.</summary>
    public static GgufModelSummary Summarize(string path)
    {
        try
        {
            return GgufModelSummary.Read(path);
        }
        catch (Exception ex) when (ex is GgufFormatException or ModelConfigException or InvalidDataException or KeyNotFoundException)
        {
            throw new ModelStoreException("invalid_gguf", ex.Message, ex);
        }
    }

    public static SourceModel Inspect(string path)
    {
        GgufModelSummary summary = Summarize(path);
        var info = new FileInfo(path);
        return new SourceModel(
            Architecture(summary.Config),
            Inventory(summary),
            summary.TensorBytes,
            summary.Quantization,
            [],
            [new SourceFile(path, FileName, info.Length, info.LastWriteTimeUtc.Ticks, ExpectedSha256: null)],
            []);
    }

    public static ModelProfile Profile(string id, string path)
    {
        GgufModelSummary summary = Summarize(path);
        return new ModelProfile(id, Architecture(summary.Config), Inventory(summary));
    }

    private static ModelArchitecture Architecture(LlamaConfig c) => new(
        c.ModelType,
        ModelFamily.Decoder,
        c.HiddenSize,
        c.Layers,
        EncoderLayers: 0,
        c.Heads,
        c.KvHeads,
        c.HeadDim,
        c.IntermediateSize,
        c.VocabSize,
        c.TieWordEmbeddings,
        AttentionBias: c.ModelType == "qwen2",
        c.MaxPositionEmbeddings,
        TypeVocabSize: 0,
        ContextLimit: c.MaxPositionEmbeddings);

    // Hugging Face names, so tensor roles come out as they do for the same model in safetensors.
    private static WeightInventory Inventory(GgufModelSummary summary) => new(
        [.. summary.Tensors.Select(t => SafetensorsWeights.ToSpec(new SafetensorsTensor(t.Name, t.Dtype, t.Shape, 0, t.Bytes)))],
        "gguf");
}
