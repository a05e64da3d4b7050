using System.Globalization;
using Nlps.Inference.Safetensors;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Encoders;

/// <summary>
/// The weights of a BERT/XLM-R encoder in the engine's layout: embeddings as f32 rows, layers packed for the GEMM.
/// Tensor names follow transformers' BertModel/XLMRobertaModel, with or without the task head's prefix
/// (<c>bert.</c>, <c>roberta.</c>, DPR's <c>question_encoder.bert_model.</c> / <c>ctx_encoder.bert_model.</c>).
/// </summary>
internal sealed class EncoderWeights : IDisposable
{
    private static readonly string[] Prefixes = ["", "bert.", "roberta.", "model.", "question_encoder.bert_model.", "ctx_encoder.bert_model."];

    internal EncoderWeights(WeightMatrix words, WeightMatrix positions, float[] tokenType, (float[], float[]) norm, EncoderLayer[] layers)
    {
        Words = words;
        Positions = positions;
        TokenType = tokenType;
        EmbeddingNorm = norm;
        Layers = layers;
    }

    public WeightMatrix Words { get; }

    public WeightMatrix Positions { get; }

    /// <summary>Token type 0's embedding (single-segment inputs).</summary>
    public float[] TokenType { get; }

    public (float[] Weight, float[] Bias) EmbeddingNorm { get; }

    public EncoderLayer[] Layers { get; }

    /// <summary>Bytes held: the embedding tables, the token type row, the LayerNorms and the packed layers.</summary>
    public long ByteSize => Words.ByteSize + Positions.ByteSize + ((long)TokenType.Length * sizeof(float)) + NormBytes(EmbeddingNorm) + Layers.Sum(l => l.ByteSize);

    public static EncoderWeights Load(SafetensorsCheckpoint checkpoint, EncoderConfig config)
    {
        string prefix = Prefixes.FirstOrDefault(p => checkpoint.Contains(p + "embeddings.word_embeddings.weight"))
            ?? throw new ModelConfigException($"{checkpoint.Folder}: no 'embeddings.word_embeddings.weight' (with any of the prefixes {string.Join(", ", Prefixes.Skip(1))}); not a BERT-family encoder checkpoint");
        var reader = new CheckpointReader(new SafetensorsWeightSource(checkpoint), WeightFormat.F32);
        int h = config.HiddenSize;
        var built = new List<IDisposable>();
        try
        {
            string e = prefix + "embeddings.";
            var words = Track(built, reader.Matrix([e + "word_embeddings.weight"], config.VocabSize, h));
            var positions = Track(built, reader.Matrix([e + "position_embeddings.weight"], config.MaxPositionEmbeddings, h));
            using var types = reader.Matrix([e + "token_type_embeddings.weight"], config.TypeVocabSize, h);
            var tokenType = new float[h];
            types.ReadRow(0, tokenType);
            var norm = Norm(reader, e + "LayerNorm", h);
            var layers = new EncoderLayer[config.Layers];
            for (int i = 0; i < config.Layers; i++)
            {
                string p = string.Create(CultureInfo.InvariantCulture, $"{prefix}encoder.layer.{i}.");
                string a = p + "attention.";
                layers[i] = Track(built, new EncoderLayer(
                    Pack(reader, [a + "self.query", a + "self.key", a + "self.value"], [h, h, h], h),
                    Pack(reader, [a + "output.dense"], [h], h),
                    Norm(reader, a + "output.LayerNorm", h),
                    Pack(reader, [p + "intermediate.dense"], [config.IntermediateSize], h),
                    Pack(reader, [p + "output.dense"], [h], config.IntermediateSize),
                    Norm(reader, p + "output.LayerNorm", h)));
            }

            return new EncoderWeights(words, positions, tokenType, norm, layers);
        }
        catch
        {
            foreach (IDisposable d in built)
            {
                d.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        foreach (EncoderLayer layer in Layers)
        {
            layer.Dispose();
        }

        Words.Dispose();
        Positions.Dispose();
    }

    internal static PackedMatrix Pack(CheckpointReader reader, string[] names, int[] rows, int cols)
    {
        using WeightMatrix matrix = reader.Matrix([.. names.Select(n => n + ".weight")], rows, cols);
        float[] bias = [.. names.Zip(rows).SelectMany(x => reader.Vector(x.First + ".bias", x.Second))];
        return new PackedMatrix(matrix, bias);
    }

    internal static long NormBytes((float[] Weight, float[] Bias) norm) => ((long)norm.Weight.Length + norm.Bias.Length) * sizeof(float);

    internal static (float[], float[]) Norm(CheckpointReader reader, string name, int h) => (reader.Vector(name + ".weight", h), reader.Vector(name + ".bias", h));

    internal static T Track<T>(List<IDisposable> built, T item)
        where T : IDisposable
    {
        built.Add(item);
        return item;
    }
}
