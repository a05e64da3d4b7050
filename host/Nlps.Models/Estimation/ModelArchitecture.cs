namespace Nlps.Models.Estimation;

/// <summary>The shape numbers of a model, as read from config.json. For BART, <see cref="Layers"/> is the decoder depth.</summary>
/// <param name="ModelType">config.json "model_type": llama, qwen2, mistral, bert, xlm-roberta, bart.</param>
/// <param name="HeadDim">"head_dim" when present, else hidden / heads.</param>
/// <param name="AttentionBias">Q, K and V projections carry biases (Qwen2).</param>
/// <param name="MaxPositionEmbeddings">config.json "max_position_embeddings"; BART's position tables hold 2 more rows (its offset).</param>
/// <param name="ContextLimit">Longest sequence the model accepts: positions, less the 2 offset positions that RoBERTa counts in them, times a YaRN factor.</param>
public sealed record ModelArchitecture(
    string ModelType,
    ModelFamily Family,
    int HiddenSize,
    int Layers,
    int EncoderLayers,
    int Heads,
    int KvHeads,
    int HeadDim,
    int IntermediateSize,
    int VocabSize,
    bool TieWordEmbeddings,
    bool AttentionBias,
    int MaxPositionEmbeddings,
    int TypeVocabSize,
    int ContextLimit);
