using System.Buffers.Binary;
using Nlps.Formats.Gguf;

namespace Nlps.Inference.Tests.Gguf;

public sealed class GgufFormatTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nlps-gguf-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Metadata_of_every_type_and_tensors_read_back_as_written()
    {
        string path = Path.Combine(_folder, "all.gguf");
        byte[] a = [.. Enumerable.Range(0, 64).Select(i => (byte)i)];
        byte[] b = [.. Enumerable.Range(0, 34 * 4).Select(i => (byte)(i * 7))];
        GgufWriter.Write(
            path,
            [
                new("u8", (byte)200), new("i8", (sbyte)-5), new("u16", (ushort)60000), new("i16", (short)-3000),
                new("u32", 4_000_000_000u), new("i32", -7), new("f32", 1.5f), new("bool", true), new("string", "한국어 GGUF"),
                new("u64", ulong.MaxValue), new("i64", long.MinValue), new("f64", Math.PI),
                new("strings", new[] { "a", "", "토큰" }), new("ints", new[] { 1, -2, 3 }), new("floats", new[] { 0.5f, -1f }),
                new("nested", new GgufArray(GgufValueType.Array, new[] { new GgufArray(GgufValueType.UInt8, new byte[] { 1, 2 }), new GgufArray(GgufValueType.String, new[] { "x" }) })),
            ],
            [
                new GgufTensorData("a", GgufTensorType.F32, [4, 4], s => s.Write(a)),
                new GgufTensorData("b", GgufTensorType.Q8_0, [64, 2], s => s.Write(b)),
            ],
            alignment: 64);

        GgufLayout layout = GgufReader.ReadLayout(path);
        GgufMetadata m = layout.Metadata;

        Assert.Equal(64, layout.Alignment);
        Assert.Equal((byte)200, m.Find("u8"));
        Assert.Equal((sbyte)-5, m.Find("i8"));
        Assert.Equal((ushort)60000, m.Find("u16"));
        Assert.Equal((short)-3000, m.Find("i16"));
        Assert.Equal(4_000_000_000L, m.Integer("u32"));
        Assert.Equal(-7L, m.Integer("i32"));
        Assert.Equal(1.5, m.Number("f32"));
        Assert.True(m.Bool("bool"));
        Assert.Equal("한국어 GGUF", m.String("string"));
        Assert.Equal(ulong.MaxValue, m.Find("u64"));
        Assert.Equal(long.MinValue, m.Integer("i64"));
        Assert.Equal(Math.PI, m.Number("f64"));
        Assert.Equal(["a", "", "토큰"], m.Array<string>("strings")!);
        Assert.Equal([1, -2, 3], m.Array<int>("ints")!);
        Assert.Equal(GgufValueType.Int32, ((GgufArray)m.Find("ints")!).ElementType);
        Assert.Equal([0.5f, -1f], m.Array<float>("floats")!);
        GgufArray[] nested = m.Array<GgufArray>("nested")!;
        Assert.Equal(new byte[] { 1, 2 }, nested[0].Values);
        Assert.Equal(new[] { "x" }, nested[1].Values);

        Assert.Equal(["a", "b"], layout.Tensors.Select(t => t.Name));
        GgufTensorInfo q8 = layout.Tensors[1];
        Assert.Equal([2L, 64L], q8.Shape);
        Assert.Equal(34 * 4, q8.ByteLength);
        Assert.Equal(0, layout.DataStart % 64);
        Assert.Equal(0, q8.Offset % 64);
        byte[] file = File.ReadAllBytes(path);
        Assert.Equal(a, file.AsSpan((int)layout.DataStart, 64).ToArray());
        Assert.Equal(b, file.AsSpan((int)(layout.DataStart + q8.Offset), b.Length).ToArray());
    }

    [Fact]
    public void A_truncated_file_names_the_tensor_that_ends_past_the_end()
    {
        string path = WriteOneTensor();
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);

        var error = Assert.Throws<GgufFormatException>(() => GgufReader.ReadLayout(path));

        Assert.Contains("tensor 'w'", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GgufTensorType.Q4_K, 144)]
    [InlineData(GgufTensorType.Q6_K, 210)]
    public void Truncated_k_quant_data_names_the_tensor_and_its_byte_length(GgufTensorType type, int blockBytes)
    {
        string path = Path.Combine(_folder, "k.gguf");
        GgufWriter.Write(path, [new("general.architecture", "llama")], [new GgufTensorData("blk.0.ffn_down.weight", type, [512, 3], s => s.Write(new byte[6 * blockBytes]))]);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^blockBytes]);

        var error = Assert.Throws<GgufFormatException>(() => GgufReader.ReadLayout(path));

        Assert.Contains($"tensor 'blk.0.ffn_down.weight' ({6 * blockBytes} bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_k_quant_row_that_is_not_whole_super_blocks_is_refused_naming_the_tensor()
    {
        string path = Path.Combine(_folder, "k.gguf");
        GgufWriter.Write(path, [new("general.architecture", "llama")], [new GgufTensorData("w", GgufTensorType.Q8_0, [288, 1], s => s.Write(new byte[9 * 34]))]);
        Patch(path, TensorInfoEnd() - 12, (uint)GgufTensorType.Q6_K);

        var error = Assert.Throws<GgufFormatException>(() => GgufReader.ReadLayout(path));

        Assert.Contains("tensor 'w' of type Q6_K has an innermost dimension of 288, not a multiple of its block of 256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_cut_inside_the_header_is_refused_as_truncated()
    {
        string path = WriteOneTensor();
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..20]);

        var error = Assert.Throws<GgufFormatException>(() => GgufReader.ReadLayout(path));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_offset_past_the_end_of_the_data_is_refused()
    {
        string path = WriteOneTensor();
        Patch(path, TensorInfoEnd() - 8, 1UL << 20);

        var error = Assert.Throws<GgufFormatException>(() => GgufReader.ReadLayout(path));

        Assert.Contains("offset 1048576", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misaligned_offset_is_refused()
    {
        string path = WriteOneTensor();
        Patch(path, TensorInfoEnd() - 8, 4UL);

        var error = Assert.Throws<GgufFormatException>(() => GgufReader.ReadLayout(path));

        Assert.Contains("not a multiple of the alignment 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_tensor_type_is_refused_by_number()
    {
        string path = WriteOneTensor();
        Patch(path, TensorInfoEnd() - 12, 77u);

        var error = Assert.Throws<GgufFormatException>(() => GgufReader.ReadLayout(path));

        Assert.Contains("ggml type 77", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absurd_tensor_count_is_refused_before_allocating()
    {
        string path = WriteOneTensor();
        Patch(path, 8, ulong.MaxValue / 2);

        var error = Assert.Throws<GgufFormatException>(() => GgufReader.ReadLayout(path));

        Assert.Contains("more than the", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absurd_array_length_is_refused_before_allocating()
    {
        string path = Path.Combine(_folder, "array.gguf");
        GgufWriter.Write(path, [new("ids", new[] { 1, 2, 3 })], []);
        // header 24, key length 8 + "ids" 3, value type 4, element type 4, then the u64 count.
        Patch(path, 24 + 8 + 3 + 4 + 4, 1UL << 40);

        var error = Assert.Throws<GgufFormatException>(() => GgufReader.ReadLayout(path));

        Assert.Contains("'ids' claims 1099511627776 array elements", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absurd_string_length_is_refused()
    {
        string path = Path.Combine(_folder, "string.gguf");
        GgufWriter.Write(path, [new("name", "abc")], []);
        Patch(path, 24 + 8 + 4 + 4, 1UL << 50);

        var error = Assert.Throws<GgufFormatException>(() => GgufReader.ReadLayout(path));

        Assert.Contains("metadata 'name' claims", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_gguf_is_refused_by_magic()
    {
        string path = Path.Combine(_folder, "not.gguf");
        File.WriteAllBytes(path, new byte[64]);

        var error = Assert.Throws<GgufFormatException>(() => GgufReader.ReadLayout(path));

        Assert.Contains("not a GGUF file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_write_leaves_no_file_behind()
    {
        string path = Path.Combine(_folder, "failed.gguf");

        Assert.Throws<InvalidOperationException>(() => GgufWriter.Write(path, [], [new GgufTensorData("w", GgufTensorType.F32, [8], s => s.Write(new byte[4]))]));

        Assert.Empty(Directory.GetFiles(_folder));
    }

    private string WriteOneTensor()
    {
        string path = Path.Combine(_folder, "one.gguf");
        GgufWriter.Write(path, [new("general.architecture", "llama")], [new GgufTensorData("w", GgufTensorType.F32, [8, 2], s => s.Write(new byte[64]))]);
        return path;
    }

    // The single tensor info is the last thing before the padding: name, dims, type (4), offset (8).
    private static long TensorInfoEnd()
    {
        long metadataEnd = 24 + 8 + "general.architecture".Length + 4 + 8 + "llama".Length;
        return metadataEnd + 8 + 1 + 4 + (2 * 8) + 4 + 8;
    }

    private static void Patch(string path, long at, ulong value)
    {
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)at), value);
        File.WriteAllBytes(path, bytes);
    }

    private static void Patch(string path, long at, uint value)
    {
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)at), value);
        File.WriteAllBytes(path, bytes);
    }
}
