using System.Runtime.InteropServices;
using System.Text;

namespace Nlps.Formats.Gguf;

/// <summary>
/// Writes a GGUF v3 file: header, metadata in the given order, tensor infos, then each tensor's data at an offset
/// aligned to <c>general.alignment</c> (added when not 32). The file appears under its name only once complete
/// (written beside it, then moved), so a failed export leaves nothing half-written behind.
/// Metadata values are CLR values mapped to GGUF types: byte, sbyte, ushort, short, uint, int, float, bool, string,
/// ulong, long, double, arrays of those, or <see cref="GgufArray"/>.
/// </summary>
public static class GgufWriter
{
    public static void Write(string path, IEnumerable<KeyValuePair<string, object>> metadata, IReadOnlyList<GgufTensorData> tensors, int alignment = GgufReader.DefaultAlignment)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(tensors);
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "alignment must be a power of two");
        }

        var entries = metadata.Where(e => e.Key != GgufReader.AlignmentKey).ToList();
        if (alignment != GgufReader.DefaultAlignment)
        {
            entries.Insert(0, new(GgufReader.AlignmentKey, (uint)alignment));
        }

        string partial = path + ".partial";
        try
        {
            using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
            {
                WriteTo(stream, entries, tensors, alignment);
            }

            File.Move(partial, path, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private static void WriteTo(FileStream stream, List<KeyValuePair<string, object>> entries, IReadOnlyList<GgufTensorData> tensors, int alignment)
    {
        var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(GgufReader.Magic);
        w.Write(3u);
        w.Write((ulong)tensors.Count);
        w.Write((ulong)entries.Count);
        foreach (var (key, value) in entries)
        {
            WriteString(w, key);
            WriteValue(w, value, key, withType: true);
        }

        var offsets = new long[tensors.Count];
        long offset = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            GgufTensorData t = tensors[i];
            if (t.Dimensions.Length is 0 or > GgufReader.MaxDimensions)
            {
                throw new ArgumentException($"tensor '{t.Name}' has {t.Dimensions.Length} dimensions (1 to {GgufReader.MaxDimensions})", nameof(tensors));
            }

            offsets[i] = offset;
            WriteString(w, t.Name);
            w.Write((uint)t.Dimensions.Length);
            foreach (long d in t.Dimensions)
            {
                w.Write((ulong)d);
            }

            w.Write((uint)t.Type);
            w.Write((ulong)offset);
            offset = GgufReader.AlignUp(offset + t.ByteLength, alignment);
        }

        w.Flush();
        Pad(stream, alignment);
        long dataStart = stream.Position;
        for (int i = 0; i < tensors.Count; i++)
        {
            GgufTensorData t = tensors[i];
            Pad(stream, alignment);
            long before = stream.Position;
            t.WriteData(stream);
            long written = stream.Position - before;
            if (written != t.ByteLength || before - dataStart != offsets[i])
            {
                throw new InvalidOperationException($"tensor '{t.Name}' wrote {written} bytes at data offset {before - dataStart}; its info says {t.ByteLength} at {offsets[i]}");
            }
        }
    }

    private static void Pad(Stream stream, int alignment)
    {
        long padding = GgufReader.AlignUp(stream.Position, alignment) - stream.Position;
        for (long i = 0; i < padding; i++)
        {
            stream.WriteByte(0);
        }
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteValue(BinaryWriter w, object value, string key, bool withType)
    {
        if (withType)
        {
            w.Write((uint)TypeOf(value, key));
        }

        switch (value)
        {
            case byte v: w.Write(v); break;
            case sbyte v: w.Write(v); break;
            case ushort v: w.Write(v); break;
            case short v: w.Write(v); break;
            case uint v: w.Write(v); break;
            case int v: w.Write(v); break;
            case float v: w.Write(v); break;
            case bool v: w.Write(v); break;
            case string v: WriteString(w, v); break;
            case ulong v: w.Write(v); break;
            case long v: w.Write(v); break;
            case double v: w.Write(v); break;
            case GgufArray a: WriteArray(w, a, key); break;
            case Array a: WriteArray(w, new GgufArray(ElementTypeOf(a, key), a), key); break;
            default: throw new ArgumentException($"metadata '{key}': {value.GetType().Name} has no GGUF type", nameof(value));
        }
    }

    private static void WriteArray(BinaryWriter w, GgufArray array, string key)
    {
        w.Write((uint)array.ElementType);
        w.Write((ulong)array.Count);
        switch (array.Values)
        {
            case string[] or GgufArray[] or bool[]:
                foreach (object item in array.Values)
                {
                    WriteValue(w, item, key, withType: false);
                }

                break;
            default:
                w.Write(MemoryMarshal.AsBytes(NumericSpan(array.Values)));
                break;
        }
    }

    private static ReadOnlySpan<byte> NumericSpan(Array values) => values switch
    {
        byte[] v => v,
        sbyte[] v => MemoryMarshal.AsBytes<sbyte>(v),
        ushort[] v => MemoryMarshal.AsBytes<ushort>(v),
        short[] v => MemoryMarshal.AsBytes<short>(v),
        uint[] v => MemoryMarshal.AsBytes<uint>(v),
        int[] v => MemoryMarshal.AsBytes<int>(v),
        float[] v => MemoryMarshal.AsBytes<float>(v),
        ulong[] v => MemoryMarshal.AsBytes<ulong>(v),
        long[] v => MemoryMarshal.AsBytes<long>(v),
        double[] v => MemoryMarshal.AsBytes<double>(v),
        _ => throw new ArgumentException($"{values.GetType().Name} has no GGUF array type", nameof(values)),
    };

    private static GgufValueType TypeOf(object value, string key) =>
        value is Array or GgufArray ? GgufValueType.Array : TypeOf(value.GetType(), key);

    // By element type, not by pattern: the runtime lets an int[] pass as uint[] (and sbyte[]/byte[], long[]/ulong[]).
    private static GgufValueType ElementTypeOf(Array array, string key) => TypeOf(array.GetType().GetElementType()!, key);

    private static GgufValueType TypeOf(Type t, string key) =>
        t == typeof(byte) ? GgufValueType.UInt8
        : t == typeof(sbyte) ? GgufValueType.Int8
        : t == typeof(ushort) ? GgufValueType.UInt16
        : t == typeof(short) ? GgufValueType.Int16
        : t == typeof(uint) ? GgufValueType.UInt32
        : t == typeof(int) ? GgufValueType.Int32
        : t == typeof(float) ? GgufValueType.Float32
        : t == typeof(bool) ? GgufValueType.Bool
        : t == typeof(string) ? GgufValueType.String
        : t == typeof(ulong) ? GgufValueType.UInt64
        : t == typeof(long) ? GgufValueType.Int64
        : t == typeof(double) ? GgufValueType.Float64
        : t == typeof(GgufArray) ? GgufValueType.Array
        : throw new ArgumentException($"metadata '{key}': {t.Name} has no GGUF type", nameof(t));
}
