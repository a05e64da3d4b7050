using Nlps.Models.Estimation;

namespace Nlps.Models.Tests.Estimation;

public sealed class SafetensorsWeightsTests : IDisposable
{
    private const string TinyLlama =
        """{"model_type":"llama","hidden_size":256,"intermediate_size":512,"num_hidden_layers":3,"num_attention_heads":4,"num_key_value_heads":2,"vocab_size":1024,"max_position_embeddings":2048}""";

    private readonly string _folder = Directory.CreateTempSubdirectory("nlps-st-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Sharded_checkpoint_gives_the_same_bytes_as_the_config_in_every_mode_and_rank()
    {
        ModelProfile fromConfig = ModelProfile.FromConfig("tiny", TinyLlama);
        var entries = Expand(fromConfig.Weights).ToList();
        int half = entries.Count / 2;
        SafetensorsFile.Write(Path.Combine(_folder, "model-00001-of-00002.safetensors"), entries.Take(half));
        SafetensorsFile.Write(Path.Combine(_folder, "model-00002-of-00002.safetensors"), entries.Skip(half));
        WriteIndex(entries.Select((e, i) => (e.Name, i < half ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors")));

        WeightInventory fromHeaders = await SafetensorsWeights.ReadFolderAsync(_folder, CancellationToken.None);

        Assert.Equal("safetensors", fromHeaders.Source);
        Assert.Equal(fromConfig.Weights.ParameterCount, fromHeaders.ParameterCount);
        foreach (QuantizationMode mode in Enum.GetValues<QuantizationMode>())
        {
            foreach (int tp in new[] { 1, 2 })
            {
                Assert.Equal(WeightBytes.PerRank(fromConfig.Weights, mode, tp), WeightBytes.PerRank(fromHeaders, mode, tp));
            }
        }
    }

    [Fact]
    public async Task Missing_shard_is_named()
    {
        SafetensorsFile.Write(Path.Combine(_folder, "a.safetensors"), [new("x.weight", "BF16", [2, 2], 2)]);
        WriteIndex([("x.weight", "a.safetensors"), ("y.weight", "b.safetensors")]);

        var error = await Assert.ThrowsAsync<ModelFormatException>(() => SafetensorsWeights.ReadFolderAsync(_folder, CancellationToken.None));

        Assert.Contains("shard 'b.safetensors'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offsets_that_disagree_with_dtype_and_shape_are_refused()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        SafetensorsFile.Write(path, [new("x.weight", "BF16", [4, 4], 2)], spanAdjust: -2);

        var error = await Assert.ThrowsAsync<ModelFormatException>(() => SafetensorsHeader.ReadAsync(path, CancellationToken.None));

        Assert.Contains("needs 32 bytes but its offsets span 30", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_longer_than_its_header_says_is_refused()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        SafetensorsFile.Write(path, [new("x.weight", "F32", [4], 4)], extraDataBytes: 100);

        var error = await Assert.ThrowsAsync<ModelFormatException>(() => SafetensorsHeader.ReadAsync(path, CancellationToken.None));

        Assert.Contains("header describes 16 data bytes but the file holds 116", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_length_beyond_the_file_is_refused()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        SafetensorsFile.Write(path, [new("x.weight", "F32", [4], 4)], headerLengthOverride: 1_000_000);

        await Assert.ThrowsAsync<ModelFormatException>(() => SafetensorsHeader.ReadAsync(path, CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"x":{"dtype":"Q4_K","shape":[2],"data_offsets":[0,1]}}""", "unknown dtype 'Q4_K'")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2]}}""", "needs dtype, shape and two data_offsets")]
    [InlineData("""{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", "bad number")]
    [InlineData("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "starts at 4, expected 0")]
    [InlineData("""not json""", "not valid JSON")]
    public void Malformed_headers_are_refused_with_a_reason(string header, string expected)
    {
        var error = Assert.Throws<ModelFormatException>(() => SafetensorsHeader.Parse(System.Text.Encoding.UTF8.GetBytes(header), 8, "t.safetensors"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private void WriteIndex(IEnumerable<(string Tensor, string File)> map)
    {
        string body = string.Join(",", map.Select(m => $"\"{m.Tensor}\":\"{m.File}\""));
        File.WriteAllText(Path.Combine(_folder, SafetensorsWeights.IndexFile), "{\"metadata\":{},\"weight_map\":{" + body + "}}");
    }

    // One BF16 checkpoint tensor per layer for every "*" entry of a config-derived inventory.
    private static IEnumerable<SafetensorsFile.Entry> Expand(WeightInventory inventory)
    {
        foreach (TensorSpec t in inventory.Tensors)
        {
            long[] shape = t.Cols == 1 ? [t.Rows] : [t.Rows, t.Cols];
            for (int i = 0; i < t.Count; i++)
            {
                yield return new(t.Name.Replace("*", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), "BF16", shape, 2);
            }
        }
    }
}
