using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace Nlps.Formats.Gguf;

/// <summary>
/// Reads and checks a GGUF (v2/v3, little-endian) header without touching tensor data: magic, version, counts, every
/// metadata value (arrays included, nested or not), tensor infos, <c>general.alignment</c>. Every count and length is
/// checked against the bytes left in the file before anything is allocated, every tensor must lie inside the data
/// section at an aligned offset without overlapping another, so a truncated or hostile file is refused with a
/// <see cref="GgufFormatException"/> naming the file and the part at fault.
/// </summary>
public static class GgufReader
{
    /// <summary>"GGUF" read as a little-endian u32.</summary>
    public const uint Magic = 0x46554747;

    public const int DefaultAlignment = 32;

    public const string AlignmentKey = "general.alignment";

    /// <summary>ggml tensors have at most four dimensions (GGML_MAX_DIMS).</summary>
    public const int MaxDimensions = 4;

    /// <summary>Longest key or tensor name accepted (gguf.md caps keys at 65535 bytes).</summary>
    private const int MaxNameBytes = 65535;

    private const int MaxArrayDepth = 8;

    /// <summary>Reads and checks the header of the GGUF file at <paramref name="path"/>.</summary>
    public static GgufLayout ReadLayout(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var cursor = new Cursor(stream, path);
        cursor.Need(24, "the header (magic, version, tensor and metadata counts)");
        uint magic = cursor.U32();
        if (magic != Magic)
        {
            throw new GgufFormatException($"{path}: not a GGUF file (magic 0x{magic:X8}, expected 'GGUF')");
        }

        uint version = cursor.U32();
        if (version is not (2 or 3))
        {
            throw new GgufFormatException($"{path}: GGUF version {version} is not supported (2 or 3, little-endian)");
        }

        ulong tensorCount = cursor.U64();
        ulong kvCount = cursor.U64();
        // Smallest possible entries: a key of 1 byte with a u8 value (13 bytes); a tensor with a 1-byte name and one dimension (33 bytes).
        if (kvCount > (ulong)cursor.Remaining / 13 || tensorCount > (ulong)cursor.Remaining / 33
            || (kvCount * 13) + (tensorCount * 33) > (ulong)cursor.Remaining)
        {
            throw new GgufFormatException($"{path}: header claims {tensorCount} tensors and {kvCount} metadata entries, more than the {cursor.Remaining} bytes left can hold");
        }

        var metadata = new GgufMetadata(path);
        for (ulong i = 0; i < kvCount; i++)
        {
            string key = cursor.String($"metadata key #{i}", MaxNameBytes);
            var type = (GgufValueType)cursor.U32Of($"metadata '{key}' type");
            metadata.Add(key, ReadValue(cursor, type, key, depth: 0));
        }

        int alignment = Alignment(metadata, path);
        var tensors = new List<GgufTensorInfo>((int)tensorCount);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (ulong i = 0; i < tensorCount; i++)
        {
            GgufTensorInfo tensor = ReadTensorInfo(cursor, i, alignment);
            if (!names.Add(tensor.Name))
            {
                throw new GgufFormatException($"{path}: tensor '{tensor.Name}' appears twice");
            }

            tensors.Add(tensor);
        }

        long dataStart = AlignUp(cursor.Position, alignment);
        long dataBytes = cursor.Length - dataStart;
        CheckPlacement(tensors, dataBytes, path);
        return new GgufLayout(path, version, metadata, tensors, alignment, Math.Min(dataStart, cursor.Length), cursor.Length);
    }

    public static long AlignUp(long position, int alignment) => (position + alignment - 1) / alignment * alignment;

    private static int Alignment(GgufMetadata metadata, string path)
    {
        object? value = metadata.Find(AlignmentKey);
        if (value is null)
        {
            return DefaultAlignment;
        }

        if (value is not uint alignment || alignment == 0 || !BitOperations.IsPow2(alignment) || alignment > 1 << 20)
        {
            throw new GgufFormatException($"{path}: {AlignmentKey} must be a u32 power of two up to 1 MiB, not {value} ({value.GetType().Name})");
        }

        return (int)alignment;
    }

    private static GgufTensorInfo ReadTensorInfo(Cursor cursor, ulong index, int alignment)
    {
        string name = cursor.String($"tensor #{index} name", MaxNameBytes);
        if (name.Length == 0)
        {
            throw new GgufFormatException($"{cursor.Path}: tensor #{index} has an empty name");
        }

        uint rank = cursor.U32Of($"tensor '{name}' dimension count");
        if (rank is 0 or > MaxDimensions)
        {
            throw new GgufFormatException($"{cursor.Path}: tensor '{name}' has {rank} dimensions (1 to {MaxDimensions})");
        }

        var dims = new long[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++)
        {
            ulong dim = cursor.U64Of($"tensor '{name}' dimension {d}");
            if (dim == 0 || dim > long.MaxValue || elements > long.MaxValue / (long)dim)
            {
                throw new GgufFormatException($"{cursor.Path}: tensor '{name}' dimension {d} is {dim}, which is zero or makes the element count overflow");
            }

            dims[d] = (long)dim;
            elements *= (long)dim;
        }

        uint rawType = cursor.U32Of($"tensor '{name}' type");
        if (!GgufTensorTypes.IsKnown(rawType))
        {
            throw new GgufFormatException($"{cursor.Path}: tensor '{name}' has ggml type {rawType}, which this reader does not know");
        }

        var type = (GgufTensorType)rawType;
        var (blockElements, blockBytes) = GgufTensorTypes.Block(type);
        if (dims[0] % blockElements != 0)
        {
            throw new GgufFormatException($"{cursor.Path}: tensor '{name}' of type {type} has an innermost dimension of {dims[0]}, not a multiple of its block of {blockElements}");
        }

        ulong offset = cursor.U64Of($"tensor '{name}' offset");
        if (offset > long.MaxValue || offset % (ulong)alignment != 0)
        {
            throw new GgufFormatException($"{cursor.Path}: tensor '{name}' offset {offset} is not a multiple of the alignment {alignment}");
        }

        long blocks = elements / blockElements;
        if (blocks > long.MaxValue / blockBytes)
        {
            throw new GgufFormatException($"{cursor.Path}: tensor '{name}' is too large");
        }

        return new GgufTensorInfo(name, dims, type, (long)offset, blocks * blockBytes);
    }

    private static void CheckPlacement(List<GgufTensorInfo> tensors, long dataBytes, string path)
    {
        long end = 0;
        string? previous = null;
        foreach (GgufTensorInfo t in tensors.OrderBy(t => t.Offset))
        {
            if (t.Offset > dataBytes || t.ByteLength > dataBytes - t.Offset)
            {
                throw new GgufFormatException(
                    $"{path}: tensor '{t.Name}' ({t.ByteLength} bytes at data offset {t.Offset}) ends past the end of the file (data section of {Math.Max(0, dataBytes)} bytes); the file is truncated or the offset is wrong");
            }

            if (t.Offset < end)
            {
                throw new GgufFormatException($"{path}: tensor '{t.Name}' at data offset {t.Offset} overlaps tensor '{previous}'");
            }

            end = t.Offset + t.ByteLength;
            previous = t.Name;
        }
    }

    private static object ReadValue(Cursor cursor, GgufValueType type, string key, int depth) => type switch
    {
        GgufValueType.UInt8 => cursor.Bytes(1, key)[0],
        GgufValueType.Int8 => (sbyte)cursor.Bytes(1, key)[0],
        GgufValueType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(cursor.Bytes(2, key)),
        GgufValueType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(cursor.Bytes(2, key)),
        GgufValueType.UInt32 => cursor.U32Of(key),
        GgufValueType.Int32 => (int)cursor.U32Of(key),
        GgufValueType.Float32 => BitConverter.UInt32BitsToSingle(cursor.U32Of(key)),
        GgufValueType.Bool => ReadBool(cursor.Bytes(1, key)[0], cursor.Path, key),
        GgufValueType.String => cursor.String($"metadata '{key}'", int.MaxValue),
        GgufValueType.UInt64 => cursor.U64Of(key),
        GgufValueType.Int64 => (long)cursor.U64Of(key),
        GgufValueType.Float64 => BitConverter.UInt64BitsToDouble(cursor.U64Of(key)),
        GgufValueType.Array => ReadArray(cursor, key, depth),
        _ => throw new GgufFormatException($"{cursor.Path}: metadata '{key}' has value type {(uint)type}, which GGUF does not define (0 to 12)"),
    };

    private static bool ReadBool(byte value, string path, string key) =>
        value <= 1 ? value == 1 : throw new GgufFormatException($"{path}: metadata '{key}' is a bool of value {value} (0 or 1)");

    private static GgufArray ReadArray(Cursor cursor, string key, int depth)
    {
        if (depth >= MaxArrayDepth)
        {
            throw new GgufFormatException($"{cursor.Path}: metadata '{key}' nests arrays deeper than {MaxArrayDepth}");
        }

        var elementType = (GgufValueType)cursor.U32Of($"metadata '{key}' array type");
        ulong count = cursor.U64Of($"metadata '{key}' array length");
        int minimum = elementType switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 or GgufValueType.String => 8,
            GgufValueType.Array => 12,
            _ => throw new GgufFormatException($"{cursor.Path}: metadata '{key}' is an array of value type {(uint)elementType}, which GGUF does not define"),
        };
        if (count > (ulong)cursor.Remaining / (ulong)minimum || count > int.MaxValue)
        {
            throw new GgufFormatException($"{cursor.Path}: metadata '{key}' claims {count} array elements, more than the {cursor.Remaining} bytes left can hold");
        }

        int n = (int)count;
        Array values = elementType switch
        {
            GgufValueType.UInt8 => cursor.Bytes(n, key).ToArray(),
            GgufValueType.Int8 => Numbers<sbyte>(cursor, n, key),
            GgufValueType.UInt16 => Numbers<ushort>(cursor, n, key),
            GgufValueType.Int16 => Numbers<short>(cursor, n, key),
            GgufValueType.UInt32 => Numbers<uint>(cursor, n, key),
            GgufValueType.Int32 => Numbers<int>(cursor, n, key),
            GgufValueType.Float32 => Numbers<float>(cursor, n, key),
            GgufValueType.UInt64 => Numbers<ulong>(cursor, n, key),
            GgufValueType.Int64 => Numbers<long>(cursor, n, key),
            GgufValueType.Float64 => Numbers<double>(cursor, n, key),
            GgufValueType.Bool => cursor.Bytes(n, key).ToArray().Select(b => ReadBool(b, cursor.Path, key)).ToArray(),
            GgufValueType.String => Enumerable.Range(0, n).Select(i => cursor.String($"metadata '{key}'[{i}]", int.MaxValue)).ToArray(),
            _ => Enumerable.Range(0, n).Select(_ => ReadArray(cursor, key, depth + 1)).ToArray(),
        };
        return new GgufArray(elementType, values);
    }

    private static T[] Numbers<T>(Cursor cursor, int count, string key)
        where T : unmanaged
    {
        var values = new T[count];
        cursor.Read(MemoryMarshal.AsBytes(values.AsSpan()), key);
        return values;
    }

    /// <summary>Bounds-checked little-endian reads: nothing is read or allocated past the end of the file.</summary>
    private sealed class Cursor(FileStream stream, string path)
    {
        private readonly byte[] _scratch = new byte[8];

        public string Path { get; } = path;

        public long Length { get; } = stream.Length;

        public long Position => stream.Position;

        public long Remaining => Length - stream.Position;

        public void Need(long bytes, string what)
        {
            if (bytes > Remaining)
            {
                throw new GgufFormatException($"{Path}: truncated at byte {Position} reading {what} ({bytes} bytes needed, {Remaining} left)");
            }
        }

        public ReadOnlySpan<byte> Bytes(int count, string what)
        {
            byte[] buffer = count <= _scratch.Length ? _scratch : new byte[count];
            Read(buffer.AsSpan(0, count), what);
            return buffer.AsSpan(0, count);
        }

        public void Read(Span<byte> destination, string what)
        {
            Need(destination.Length, what);
            stream.ReadExactly(destination);
        }

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, "the header"));

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8, "the header"));

        public uint U32Of(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, what));

        public ulong U64Of(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8, what));

        public string String(string what, int maxBytes)
        {
            ulong length = U64Of($"the length of {what}");
            if (length > (ulong)Remaining || length > (ulong)maxBytes)
            {
                throw new GgufFormatException($"{Path}: {what} claims {length} bytes at byte {Position}, more than the {Remaining} left (or the {maxBytes} allowed)");
            }

            return length == 0 ? string.Empty : Encoding.UTF8.GetString(Bytes((int)length, what));
        }
    }
}
