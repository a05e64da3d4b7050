using System.Runtime.InteropServices;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Lora;

/// <summary>
/// A checkpoint with one adapter merged in: each adapted weight reads as W + scale·B·A, computed in f32 from the stored
/// values and written back in the stored dtype, before the engine converts it to its weight format (so an int8 or bf16
/// deployment quantizes the merged weights, as PEFT's merge_and_unload then a conversion would). One merged tensor is
/// held at a time; the loader reads each tensor once.
/// </summary>
internal sealed class LoraMergedWeightSource(IWeightSource inner, LoraAdapter adapter) : IWeightSource
{
    private string? _cachedName;
    private byte[] _cached = [];

    public string Origin => inner.Origin;

    public bool Contains(string name) => inner.Contains(name);

    public TensorDescription Describe(string name) => inner.Describe(name);

    public ReadOnlySpan<byte> Bytes(string name)
    {
        LoraMatrix? delta = adapter.ForTensor(name);
        if (delta is null)
        {
            return inner.Bytes(name);
        }

        if (name == _cachedName)
        {
            return _cached;
        }

        string dtype = inner.Describe(name).Dtype;
        if (dtype is not ("F32" or "F16" or "BF16") || inner.RowOrder(name) is not null)
        {
            throw new ModelConfigException($"{inner.Origin}: tensor '{name}' is stored as {dtype}{(inner.RowOrder(name) is null ? string.Empty : " in GGUF row order")}; adapter '{adapter.Name}' can be merged into F32, F16 or BF16 safetensors weights only (serve it unmerged)");
        }

        var merged = new float[(long)delta.Out * delta.In];
        GgmlBlocks.ToSingle(inner.Bytes(name), dtype, merged);
        delta.MergeInto(merged);
        byte[] bytes = new byte[merged.Length * (dtype == "F32" ? 4 : 2)];
        switch (dtype)
        {
            case "F32":
                MemoryMarshal.AsBytes(merged.AsSpan()).CopyTo(bytes);
                break;
            case "BF16":
                BFloat16.FromSingle(merged, MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan()));
                break;
            default:
                Span<Half> halves = MemoryMarshal.Cast<byte, Half>(bytes.AsSpan());
                for (int i = 0; i < merged.Length; i++)
                {
                    halves[i] = (Half)merged[i];
                }

                break;
        }

        _cachedName = name;
        _cached = bytes;
        return bytes;
    }

    public Func<int, int>? RowOrder(string name) => inner.RowOrder(name);
}
