using System.Globalization;

namespace Nlps.Inference.Gguf;

/// <summary>Hugging Face decoder tensor names ↔ llama.cpp's GGUF names (<c>model.layers.3.mlp.up_proj.weight</c> ↔ <c>blk.3.ffn_up.weight</c>).</summary>
internal static class GgufTensorNames
{
    private static readonly (string Hf, string Gguf)[] Global =
    [
        ("model.embed_tokens.weight", "token_embd.weight"),
        ("model.norm.weight", "output_norm.weight"),
        ("lm_head.weight", "output.weight"),
    ];

    private static readonly (string Hf, string Gguf)[] PerLayer =
    [
        ("input_layernorm.weight", "attn_norm.weight"),
        ("self_attn.q_proj.weight", "attn_q.weight"),
        ("self_attn.k_proj.weight", "attn_k.weight"),
        ("self_attn.v_proj.weight", "attn_v.weight"),
        ("self_attn.o_proj.weight", "attn_output.weight"),
        ("self_attn.q_proj.bias", "attn_q.bias"),
        ("self_attn.k_proj.bias", "attn_k.bias"),
        ("self_attn.v_proj.bias", "attn_v.bias"),
        ("self_attn.o_proj.bias", "attn_output.bias"),
        ("post_attention_layernorm.weight", "ffn_norm.weight"),
        ("mlp.gate_proj.weight", "ffn_gate.weight"),
        ("mlp.up_proj.weight", "ffn_up.weight"),
        ("mlp.down_proj.weight", "ffn_down.weight"),
        ("mlp.gate_proj.bias", "ffn_gate.bias"),
        ("mlp.up_proj.bias", "ffn_up.bias"),
        ("mlp.down_proj.bias", "ffn_down.bias"),
    ];

    /// <summary>The GGUF name of a Hugging Face tensor name, or null for one llama.cpp has no name for.</summary>
    public static string? ToGguf(string hf) => Map(hf, "model.layers.", "blk.", PerLayer, fromHf: true);

    public static string? ToHuggingFace(string gguf) => Map(gguf, "blk.", "model.layers.", PerLayer, fromHf: false);

    private static string? Map(string name, string layerPrefix, string otherPrefix, (string Hf, string Gguf)[] perLayer, bool fromHf)
    {
        foreach (var (hf, gguf) in Global)
        {
            if (name == (fromHf ? hf : gguf))
            {
                return fromHf ? gguf : hf;
            }
        }

        if (!name.StartsWith(layerPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        int dot = name.IndexOf('.', layerPrefix.Length);
        if (dot < 0 || !int.TryParse(name.AsSpan(layerPrefix.Length, dot - layerPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int layer))
        {
            return null;
        }

        string suffix = name[(dot + 1)..];
        foreach (var (hf, gguf) in perLayer)
        {
            if (suffix == (fromHf ? hf : gguf))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{otherPrefix}{layer}.{(fromHf ? gguf : hf)}");
            }
        }

        return null;
    }

    /// <summary>
    /// llama.cpp's converter reorders the rows of q and k in each head from Hugging Face's half-split RoPE pairs
    /// (i, i + d/2) to adjacent pairs (2i, 2i + 1): GGUF row h·d + 2i + j holds Hugging Face row h·d + j·d/2 + i.
    /// This returns, for Hugging Face row <paramref name="row"/>, the GGUF row that holds it.
    /// </summary>
    public static int GgufRowOf(int row, int headDim)
    {
        int half = headDim / 2;
        int within = row % headDim;
        return (row - within) + (2 * (within % half)) + (within / half);
    }

    /// <summary>The inverse of <see cref="GgufRowOf"/>: the Hugging Face row written at GGUF row <paramref name="row"/>.</summary>
    public static int HuggingFaceRowOf(int row, int headDim)
    {
        int half = headDim / 2;
        int within = row % headDim;
        return (row - within) + ((within % 2) * half) + (within / 2);
    }
}
