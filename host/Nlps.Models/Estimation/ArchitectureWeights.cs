namespace Nlps.Models.Estimation;

/// <summary>
/// Lists a model's weight tensors from its architecture alone, for when only config.json is known.
/// Names follow the Hugging Face checkpoints, with "*" for the layer number.
/// </summary>
public static class ArchitectureWeights
{
    public static WeightInventory From(ModelArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        List<TensorSpec> tensors = architecture.Family switch
        {
            ModelFamily.Decoder => Decoder(architecture),
            ModelFamily.Encoder => Encoder(architecture),
            ModelFamily.Seq2Seq => Bart(architecture),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture.Family, null),
        };
        return new WeightInventory(tensors, "config.json");
    }

    private static List<TensorSpec> Decoder(ModelArchitecture a)
    {
        long h = a.HiddenSize;
        long q = (long)a.Heads * a.HeadDim;
        long kv = (long)a.KvHeads * a.HeadDim;
        int l = a.Layers;
        var t = new List<TensorSpec>
        {
            new("model.embed_tokens.weight", a.VocabSize, h, TensorRole.VocabEmbedding),
            new("model.layers.*.self_attn.q_proj.weight", q, h, TensorRole.ColumnLinear, l),
            new("model.layers.*.self_attn.k_proj.weight", kv, h, TensorRole.ColumnLinear, l),
            new("model.layers.*.self_attn.v_proj.weight", kv, h, TensorRole.ColumnLinear, l),
            new("model.layers.*.self_attn.o_proj.weight", h, q, TensorRole.RowLinear, l),
            new("model.layers.*.mlp.gate_proj.weight", a.IntermediateSize, h, TensorRole.ColumnLinear, l),
            new("model.layers.*.mlp.up_proj.weight", a.IntermediateSize, h, TensorRole.ColumnLinear, l),
            new("model.layers.*.mlp.down_proj.weight", h, a.IntermediateSize, TensorRole.RowLinear, l),
            new("model.layers.*.input_layernorm.weight", h, 1, TensorRole.Replicated, l),
            new("model.layers.*.post_attention_layernorm.weight", h, 1, TensorRole.Replicated, l),
            new("model.norm.weight", h, 1, TensorRole.Replicated),
        };
        if (a.AttentionBias)
        {
            t.Add(new("model.layers.*.self_attn.q_proj.bias", q, 1, TensorRole.ColumnBias, l));
            t.Add(new("model.layers.*.self_attn.k_proj.bias", kv, 1, TensorRole.ColumnBias, l));
            t.Add(new("model.layers.*.self_attn.v_proj.bias", kv, 1, TensorRole.ColumnBias, l));
        }

        if (!a.TieWordEmbeddings)
        {
            t.Add(new("lm_head.weight", a.VocabSize, h, TensorRole.VocabEmbedding));
        }

        return t;
    }

    private static List<TensorSpec> Encoder(ModelArchitecture a)
    {
        long h = a.HiddenSize;
        long i = a.IntermediateSize;
        int l = a.Layers;
        const string layer = "encoder.layer.*.";
        return
        [
            new("embeddings.word_embeddings.weight", a.VocabSize, h, TensorRole.VocabEmbedding),
            new("embeddings.position_embeddings.weight", a.MaxPositionEmbeddings, h, TensorRole.Replicated),
            new("embeddings.token_type_embeddings.weight", a.TypeVocabSize, h, TensorRole.Replicated),
            new("embeddings.LayerNorm.weight+bias", h, 2, TensorRole.Replicated),
            new(layer + "attention.self.{query,key,value}.weight", h, h, TensorRole.Linear, 3 * l),
            new(layer + "attention.self.{query,key,value}.bias", h, 1, TensorRole.Replicated, 3 * l),
            new(layer + "attention.output.dense.weight", h, h, TensorRole.Linear, l),
            new(layer + "attention.output.dense.bias", h, 1, TensorRole.Replicated, l),
            new(layer + "attention.output.LayerNorm.weight+bias", h, 2, TensorRole.Replicated, l),
            new(layer + "intermediate.dense.weight", i, h, TensorRole.Linear, l),
            new(layer + "intermediate.dense.bias", i, 1, TensorRole.Replicated, l),
            new(layer + "output.dense.weight", h, i, TensorRole.Linear, l),
            new(layer + "output.dense.bias", h, 1, TensorRole.Replicated, l),
            new(layer + "output.LayerNorm.weight+bias", h, 2, TensorRole.Replicated, l),
            new("pooler.dense.weight", h, h, TensorRole.Linear),
            new("pooler.dense.bias", h, 1, TensorRole.Replicated),
        ];
    }

    /// <summary>Rows BART's learned position tables have before position 0 (transformers' BartLearnedPositionalEmbedding offset).</summary>
    public const int BartPositionOffset = 2;

    private static List<TensorSpec> Bart(ModelArchitecture a)
    {
        long d = a.HiddenSize;
        long f = a.IntermediateSize;
        int e = a.EncoderLayers;
        int l = a.Layers;
        return
        [
            new("model.shared.weight", a.VocabSize, d, TensorRole.VocabEmbedding),
            new("model.{encoder,decoder}.embed_positions.weight", a.MaxPositionEmbeddings + BartPositionOffset, d, TensorRole.Replicated, 2),
            new("model.{encoder,decoder}.layernorm_embedding.weight+bias", d, 2, TensorRole.Replicated, 2),
            new("model.encoder.layers.*.self_attn.{q,k,v,out}_proj.weight", d, d, TensorRole.Linear, 4 * e),
            new("model.encoder.layers.*.self_attn.{q,k,v,out}_proj.bias", d, 1, TensorRole.Replicated, 4 * e),
            new("model.encoder.layers.*.{self_attn,final}_layer_norm.weight+bias", d, 2, TensorRole.Replicated, 2 * e),
            new("model.encoder.layers.*.fc1.weight", f, d, TensorRole.Linear, e),
            new("model.encoder.layers.*.fc1.bias", f, 1, TensorRole.Replicated, e),
            new("model.encoder.layers.*.fc2.weight", d, f, TensorRole.Linear, e),
            new("model.encoder.layers.*.fc2.bias", d, 1, TensorRole.Replicated, e),
            new("model.decoder.layers.*.{self_attn,encoder_attn}.{q,k,v,out}_proj.weight", d, d, TensorRole.Linear, 8 * l),
            new("model.decoder.layers.*.{self_attn,encoder_attn}.{q,k,v,out}_proj.bias", d, 1, TensorRole.Replicated, 8 * l),
            new("model.decoder.layers.*.{self_attn,encoder_attn,final}_layer_norm.weight+bias", d, 2, TensorRole.Replicated, 3 * l),
            new("model.decoder.layers.*.fc1.weight", f, d, TensorRole.Linear, l),
            new("model.decoder.layers.*.fc1.bias", f, 1, TensorRole.Replicated, l),
            new("model.decoder.layers.*.fc2.weight", d, f, TensorRole.Linear, l),
            new("model.decoder.layers.*.fc2.bias", d, 1, TensorRole.Replicated, l),
        ];
    }
}
