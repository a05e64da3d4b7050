using System.Text.Json.Nodes;
using Nlps.Formats.Safetensors;
using Nlps.Inference.Safetensors;

namespace Nlps.Inference.Tests.Safetensors;

public sealed class SafetensorsCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nlps-st-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Tensors_of_every_shard_are_read_byte_for_byte_from_the_mapping()
    {
        byte[] a = SafetensorsWriter.Encode([1f, 2f, 3f, 4f], "F32");
        byte[] b = SafetensorsWriter.Encode([5f, 6f], "BF16");
        SafetensorsWriter.Write(Path.Combine(_folder, "s1.safetensors"), [new("a", "F32", [2, 2], a)]);
        SafetensorsWriter.Write(Path.Combine(_folder, "s2.safetensors"), [new("b", "BF16", [2], b)]);
        WriteIndex(("a", "s1.safetensors"), ("b", "s2.safetensors"));

        using var checkpoint = SafetensorsCheckpoint.Open(_folder);

        Assert.Equal(a, checkpoint.Bytes("a").ToArray());
        Assert.Equal(b, checkpoint.Bytes("b").ToArray());
        Assert.Equal([2L], checkpoint.Describe("b").Shape);
    }

    [Theory]
    [InlineData("overlap", "tensor 'b' starts at 8, expected 16")]
    [InlineData("dtype", "tensor 'b' has unknown dtype 'Q4_K'")]
    [InlineData("shape", "tensor 'b' (F32 [3]) needs 12 bytes but its offsets span 16")]
    [InlineData("past-end", "header describes 40 data bytes but the file holds 32")]
    [InlineData("duplicate-range", "tensor 'b' starts at 0, expected 16")]
    public void A_header_that_lies_is_refused_naming_the_tensor(string lie, string expected)
    {
        string path = Path.Combine(_folder, "model.safetensors");
        SafetensorsWriter.Write(path, [new("a", "F32", [4], new byte[16]), new("b", "F32", [4], new byte[16])], header =>
        {
            var b = header["b"]!.AsObject();
            switch (lie)
            {
                case "overlap": b["data_offsets"] = new JsonArray(8, 24); break;
                case "dtype": b["dtype"] = "Q4_K"; break;
                case "shape": b["shape"] = new JsonArray(3); break;
                case "past-end": b["data_offsets"] = new JsonArray(16, 40); b["shape"] = new JsonArray(6); break;
                case "duplicate-range": b["data_offsets"] = new JsonArray(0, 16); break;
            }

            return header;
        });

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(_folder));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_refused()
    {
        SafetensorsWriter.Write(Path.Combine(_folder, "model.safetensors"), [new("a", "F32", [1], new byte[4])], headerLengthOverride: 1 << 20);

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(_folder));

        Assert.Contains("header length 1048576 exceeds the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_that_maps_a_tensor_to_the_wrong_shard_is_refused_naming_it()
    {
        SafetensorsWriter.Write(Path.Combine(_folder, "s1.safetensors"), [new("a", "F32", [1], new byte[4])]);
        SafetensorsWriter.Write(Path.Combine(_folder, "s2.safetensors"), [new("b", "F32", [1], new byte[4])]);
        WriteIndex(("a", "s2.safetensors"), ("b", "s2.safetensors"));

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(_folder));

        Assert.Contains("tensor 'a' is mapped to 's2.safetensors'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_shard_and_a_missing_tensor_are_named()
    {
        SafetensorsWriter.Write(Path.Combine(_folder, "s1.safetensors"), [new("a", "F32", [1], new byte[4])]);
        WriteIndex(("a", "s1.safetensors"), ("b", "s9.safetensors"));
        Assert.Contains("shard 's9.safetensors'", Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(_folder)).Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(_folder, SafetensorsIndex.FileName));
        using var checkpoint = SafetensorsCheckpoint.Open(_folder);
        Assert.Contains("tensor 'lm_head.weight' is not in the checkpoint", Assert.Throws<SafetensorsFormatException>(() => checkpoint.Describe("lm_head.weight")).Message, StringComparison.Ordinal);
    }

    private void WriteIndex(params (string Tensor, string File)[] map)
    {
        var weightMap = new JsonObject();
        foreach (var (tensor, file) in map)
        {
            weightMap[tensor] = file;
        }

        File.WriteAllText(Path.Combine(_folder, SafetensorsIndex.FileName), new JsonObject { ["weight_map"] = weightMap }.ToJsonString());
    }
}
