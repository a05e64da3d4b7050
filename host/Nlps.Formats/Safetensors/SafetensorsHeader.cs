using System.Buffers.Binary;
using System.Text.Json;

namespace Nlps.Formats.Safetensors;

/// <summary>
/// Reads and checks a safetensors header without touching tensor data: 8-byte little-endian header length, a JSON object
/// of tensors, then the data section. A header that disagrees with itself or with the file size is refused with a
/// <see cref="SafetensorsFormatException"/> that names the file and the tensor. The one parser for the whole appliance.
/// </summary>
public static class SafetensorsHeader
{
    /// <summary>The format's own limit on header size (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, int> DtypeBytes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8,
        ["F32"] = 4,
        ["F16"] = 2,
        ["BF16"] = 2,
        ["I64"] = 8,
        ["I32"] = 4,
        ["I16"] = 2,
        ["I8"] = 1,
        ["U64"] = 8,
        ["U32"] = 4,
        ["U16"] = 2,
        ["U8"] = 1,
        ["BOOL"] = 1,
        ["F8_E4M3"] = 1,
        ["F8_E5M2"] = 1,
        ["F8_E8M0"] = 1,
    };

    public static int BytesPerElement(string dtype) =>
        DtypeBytes.TryGetValue(dtype, out int size) ? size : throw new SafetensorsFormatException($"unknown safetensors dtype '{dtype}'");

    /// <summary>Reads and checks the header of the file at <paramref name="path"/>.</summary>
    public static async Task<SafetensorsLayout> ReadLayoutAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            byte[] prefix = new byte[8];
            if (await ReadFullyAsync(stream, prefix, cancellationToken).ConfigureAwait(false) < 8)
            {
                throw new SafetensorsFormatException($"{path}: shorter than the 8-byte header length");
            }

            long headerLength = CheckedHeaderLength(prefix, stream.Length, path);
            byte[] header = new byte[headerLength];
            await ReadFullyAsync(stream, header, cancellationToken).ConfigureAwait(false);
            return new SafetensorsLayout(path, 8 + headerLength, Parse(header, stream.Length - 8 - headerLength, path));
        }
    }

    /// <summary>Reads and checks the header of the file at <paramref name="path"/>; the synchronous twin for loaders.</summary>
    public static SafetensorsLayout ReadLayout(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
        {
            throw new SafetensorsFormatException($"{path}: shorter than the 8-byte header length");
        }

        long headerLength = CheckedHeaderLength(prefix, stream.Length, path);
        byte[] header = new byte[headerLength];
        stream.ReadExactly(header);
        return new SafetensorsLayout(path, 8 + headerLength, Parse(header, stream.Length - 8 - headerLength, path));
    }

    /// <summary>The tensors of the file at <paramref name="path"/>.</summary>
    public static async Task<IReadOnlyList<SafetensorsTensor>> ReadAsync(string path, CancellationToken cancellationToken) =>
        (await ReadLayoutAsync(path, cancellationToken).ConfigureAwait(false)).Tensors;

    /// <summary>Checks the header JSON against a data section of <paramref name="dataBytes"/>: every tensor's range matches its dtype × shape, ranges tile the section with no gap or overlap.</summary>
    public static IReadOnlyList<SafetensorsTensor> Parse(ReadOnlySpan<byte> headerJson, long dataBytes, string origin)
    {
        var tensors = new List<SafetensorsTensor>();
        try
        {
            var reader = new Utf8JsonReader(headerJson);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SafetensorsFormatException($"{origin}: header is not a JSON object");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    continue;
                }

                if (!names.Add(property.Name))
                {
                    throw new SafetensorsFormatException($"{origin}: tensor '{property.Name}' appears twice");
                }

                tensors.Add(ParseTensor(property, origin));
            }
        }
        catch (JsonException ex)
        {
            throw new SafetensorsFormatException($"{origin}: header is not valid JSON ({ex.Message})", ex);
        }

        long expected = 0;
        foreach (SafetensorsTensor tensor in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (tensor.Begin != expected)
            {
                throw new SafetensorsFormatException(
                    $"{origin}: tensor '{tensor.Name}' starts at {tensor.Begin}, expected {expected} (tensors must tile the data with no gap or overlap)");
            }

            expected = tensor.End;
        }

        if (expected != dataBytes)
        {
            throw new SafetensorsFormatException($"{origin}: header describes {expected} data bytes but the file holds {dataBytes}");
        }

        return tensors;
    }

    private static long CheckedHeaderLength(ReadOnlySpan<byte> prefix, long fileLength, string path)
    {
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes || (long)headerLength > fileLength - 8)
        {
            throw new SafetensorsFormatException($"{path}: header length {headerLength} exceeds the file ({fileLength} bytes) or the 100 MB limit");
        }

        return (long)headerLength;
    }

    private static SafetensorsTensor ParseTensor(JsonProperty property, string origin)
    {
        string name = property.Name;
        JsonElement e = property.Value;
        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !e.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw new SafetensorsFormatException($"{origin}: tensor '{name}' needs dtype, shape and two data_offsets");
        }

        string dtype = dtypeElement.GetString()!;
        int size = DtypeBytes.TryGetValue(dtype, out int s)
            ? s
            : throw new SafetensorsFormatException($"{origin}: tensor '{name}' has unknown dtype '{dtype}'");
        long[] shape = shapeElement.EnumerateArray().Select(d => NonNegative(d, name, origin)).ToArray();
        long begin = NonNegative(offsets[0], name, origin);
        long end = NonNegative(offsets[1], name, origin);
        var tensor = new SafetensorsTensor(name, dtype, shape, begin, end);
        long bytes;
        try
        {
            bytes = checked(tensor.Elements * size);
        }
        catch (OverflowException ex)
        {
            throw new SafetensorsFormatException($"{origin}: tensor '{name}' has a shape too large to address", ex);
        }

        if (end < begin || end - begin != bytes)
        {
            throw new SafetensorsFormatException(
                $"{origin}: tensor '{name}' ({dtype} [{string.Join(", ", shape)}]) needs {bytes} bytes but its offsets span {end - begin}");
        }

        return tensor;
    }

    private static long NonNegative(JsonElement element, string name, string origin) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out long value) && value >= 0
            ? value
            : throw new SafetensorsFormatException($"{origin}: tensor '{name}' has a bad number {element.GetRawText()}");

    private static async Task<int> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
