using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace Nlps.Testing.Models;

/// <summary>Writes safetensors files the way the reference writer does (header padded with spaces to a multiple of 8), with hooks to corrupt them.</summary>
public static class SafetensorsWriter
{
    public sealed record Entry(string Name, string Dtype, long[] Shape, byte[] Data);

    public static void Write(string path, IEnumerable<Entry> entries, Func<JsonObject, JsonObject>? editHeader = null, ulong? headerLengthOverride = null)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        var list = entries.ToList();
        foreach (Entry e in list)
        {
            header[e.Name] = new JsonObject
            {
                ["dtype"] = e.Dtype,
                ["shape"] = new JsonArray(e.Shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + e.Data.Length),
            };
            offset += e.Data.Length;
        }

        if (editHeader is not null)
        {
            header = editHeader(header);
        }

        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        using var stream = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, headerLengthOverride ?? (ulong)padded);
        stream.Write(prefix);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++)
        {
            stream.WriteByte((byte)' ');
        }

        foreach (Entry e in list)
        {
            stream.Write(e.Data);
        }
    }

    /// <summary>Encodes f32 values as <paramref name="dtype"/> (F32, F16 or BF16, rounding to nearest even), little-endian.</summary>
    public static byte[] Encode(float[] values, string dtype)
    {
        switch (dtype)
        {
            case "F32":
                var f32 = new byte[values.Length * 4];
                for (int i = 0; i < values.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(f32.AsSpan(i * 4), values[i]);
                }

                return f32;
            case "F16":
                var f16 = new byte[values.Length * 2];
                for (int i = 0; i < values.Length; i++)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(f16.AsSpan(i * 2), (Half)values[i]);
                }

                return f16;
            case "BF16":
                var bf16 = new byte[values.Length * 2];
                for (int i = 0; i < values.Length; i++)
                {
                    uint bits = BitConverter.SingleToUInt32Bits(values[i]);
                    ushort rounded = (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
                    BinaryPrimitives.WriteUInt16LittleEndian(bf16.AsSpan(i * 2), rounded);
                }

                return bf16;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null);
        }
    }
}
