using System.Globalization;
using Nlps.Inference.Models.Encoders;
using Nlps.Inference.Tensors;
using static Nlps.Inference.Models.Encoders.EncoderWeights;

namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>
/// Reads a BART checkpoint (F32, F16 or BF16 tensors; widened to f32) into the encoder's and the decoder's layouts.
/// Tensor names follow transformers' BartForConditionalGeneration (<c>model.</c> prefix, optional <c>lm_head.weight</c>,
/// <c>final_logits_bias</c>) or BartModel (no prefix, as KoBART's base checkpoint); the token embedding is
/// <c>shared.weight</c> or, when only the tied copies were saved, <c>encoder.embed_tokens.weight</c>.
/// </summary>
internal static class BartCheckpoint
{
    public static (EncoderWeights Encoder, BartDecoderWeights Decoder) Load(IWeightSource source, BartConfig config)
    {
        string prefix = source.Contains("model.encoder.embed_positions.weight") ? "model." : string.Empty;
        if (!source.Contains(prefix + "encoder.embed_positions.weight"))
        {
            throw new ModelConfigException($"{source.Origin}: no 'encoder.embed_positions.weight' (with or without 'model.'); not a BART checkpoint");
        }

        string shared = new[] { "shared.weight", "encoder.embed_tokens.weight", "decoder.embed_tokens.weight" }.Select(n => prefix + n).FirstOrDefault(source.Contains)
            ?? throw new ModelConfigException($"{source.Origin}: no token embedding ('{prefix}shared.weight' or '{prefix}encoder.embed_tokens.weight')");
        var reader = new CheckpointReader(source, WeightFormat.F32);
        int d = config.DModel;
        int rows = config.MaxPositionEmbeddings + BartConfig.PositionOffset;
        var built = new List<IDisposable>();
        try
        {
            var words = Track(built, reader.Matrix([shared], config.VocabSize, d));
            var encoderLayers = new EncoderLayer[config.EncoderLayers];
            for (int i = 0; i < encoderLayers.Length; i++)
            {
                string p = string.Create(CultureInfo.InvariantCulture, $"{prefix}encoder.layers.{i}.");
                encoderLayers[i] = Track(built, new EncoderLayer(
                    Pack(reader, [p + "self_attn.q_proj", p + "self_attn.k_proj", p + "self_attn.v_proj"], [d, d, d], d),
                    Pack(reader, [p + "self_attn.out_proj"], [d], d),
                    Norm(reader, p + "self_attn_layer_norm", d),
                    Pack(reader, [p + "fc1"], [config.EncoderFfnDim], d),
                    Pack(reader, [p + "fc2"], [d], config.EncoderFfnDim),
                    Norm(reader, p + "final_layer_norm", d)));
            }

            var encoderPositions = Track(built, reader.Matrix([prefix + "encoder.embed_positions.weight"], rows, d));
            var encoder = new EncoderWeights(words, encoderPositions, new float[d], Norm(reader, prefix + "encoder.layernorm_embedding", d), encoderLayers);
            built.Clear();
            built.Add(encoder);

            var decoderLayers = new BartDecoderLayer[config.DecoderLayers];
            int f = config.DecoderFfnDim;
            for (int i = 0; i < decoderLayers.Length; i++)
            {
                string p = string.Create(CultureInfo.InvariantCulture, $"{prefix}decoder.layers.{i}.");
                decoderLayers[i] = Track(built, new BartDecoderLayer(
                    Pack(reader, [p + "self_attn.q_proj", p + "self_attn.k_proj", p + "self_attn.v_proj"], [d, d, d], d),
                    Pack(reader, [p + "self_attn.out_proj"], [d], d),
                    Norm(reader, p + "self_attn_layer_norm", d),
                    Pack(reader, [p + "encoder_attn.q_proj"], [d], d),
                    Pack(reader, [p + "encoder_attn.k_proj", p + "encoder_attn.v_proj"], [d, d], d),
                    Pack(reader, [p + "encoder_attn.out_proj"], [d], d),
                    Norm(reader, p + "encoder_attn_layer_norm", d),
                    Pack(reader, [p + "fc1"], [f], d),
                    Pack(reader, [p + "fc2"], [d], f),
                    Norm(reader, p + "final_layer_norm", d)));
            }

            var decoderPositions = Track(built, reader.Matrix([prefix + "decoder.embed_positions.weight"], rows, d));
            var decoderNorm = Norm(reader, prefix + "decoder.layernorm_embedding", d);
            using WeightMatrix headWeights = reader.Matrix([source.Contains("lm_head.weight") ? "lm_head.weight" : shared], config.VocabSize, d);
            var head = new PackedMatrix(headWeights, LogitsBias(source, config.VocabSize));
            return (encoder, new BartDecoderWeights(words, decoderPositions, decoderNorm, decoderLayers, head));
        }
        catch
        {
            foreach (IDisposable item in built)
            {
                item.Dispose();
            }

            throw;
        }
    }

    // final_logits_bias is a [1, vocab] buffer; zeros when the checkpoint has none (BartModel).
    private static float[] LogitsBias(IWeightSource source, int vocab)
    {
        var bias = new float[vocab];
        if (!source.Contains("final_logits_bias"))
        {
            return bias;
        }

        TensorDescription tensor = source.Describe("final_logits_bias");
        if (tensor.Shape.Aggregate(1L, (a, b) => a * b) != vocab || tensor.Dtype is not ("F32" or "F16" or "BF16"))
        {
            throw new ModelConfigException(
                $"{source.Origin}: tensor 'final_logits_bias' is {tensor.Dtype} [{string.Join(", ", tensor.Shape)}]; expected [1, {vocab}] of F32, F16 or BF16");
        }

        GgmlBlocks.ToSingle(source.Bytes("final_logits_bias"), tensor.Dtype, bias);
        return bias;
    }
}
