using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Nlps.Models.Tests.Estimation;

/// <summary>Writes small safetensors files (zero data) for tests, optionally with a header that lies.</summary>
internal static class SafetensorsFile
{
    public sealed record Entry(string Name, string Dtype, long[] Shape, int ElementBytes);

    public static void Write(string path, IEnumerable<Entry> entries, long spanAdjust = 0, long extraDataBytes = 0, ulong? headerLengthOverride = null)
    {
        using var json = new MemoryStream();
        long offset = 0;
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("__metadata__");
            writer.WriteString("format", "pt");
            writer.WriteEndObject();
            foreach (Entry e in entries)
            {
                long bytes = e.Shape.Aggregate(1L, (a, b) => a * b) * e.ElementBytes;
                writer.WriteStartObject(e.Name);
                writer.WriteString("dtype", e.Dtype);
                writer.WriteStartArray("shape");
                foreach (long d in e.Shape)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + bytes + spanAdjust);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += bytes + spanAdjust;
            }

            writer.WriteEndObject();
        }

        byte[] header = json.ToArray();
        using FileStream file = File.Create(path);
        byte[] prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, headerLengthOverride ?? (ulong)header.Length);
        file.Write(prefix);
        file.Write(header);
        file.SetLength(8 + header.Length + offset + extraDataBytes);
    }

    public static void WriteRaw(string path, string headerJson)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        using FileStream file = File.Create(path);
        byte[] prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        file.Write(prefix);
        file.Write(header);
    }
}
