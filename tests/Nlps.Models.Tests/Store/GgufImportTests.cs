using System.Security.Cryptography;
using Nlps.Formats.Gguf;
using Nlps.Inference.Gguf;
using Nlps.Models.Estimation;
using Nlps.Models.Store;
using Nlps.Testing.Models;

namespace Nlps.Models.Tests.Store;

public sealed class GgufImportTests : IDisposable
{
    private readonly StoreFixture _fixture = new();
    private readonly TinyModel _model = TinyModel.Create(TinyModelSpec.Llama3);

    public void Dispose()
    {
        _model.Dispose();
        _fixture.Dispose();
    }

    [Fact]
    public async Task A_gguf_file_imports_with_its_architecture_quantization_parameters_and_checksum()
    {
        string file = Export("tiny-chat.q4_0.gguf", GgufTensorType.Q4_0);

        ModelManifest manifest = await _fixture.Store.ImportAsync(file, id: null, progress: null, CancellationToken.None);

        GgufLayout layout = GgufReader.ReadLayout(file);
        Assert.Equal(("tiny-chat.q4_0", "llama", ModelTask.Chat, "Q4_0"), (manifest.Id, manifest.ModelType, manifest.Task, manifest.Dtype));
        Assert.Equal(layout.Tensors.Sum(t => t.ElementCount), manifest.ParameterCount);
        Assert.Equal(layout.Tensors.Sum(t => t.ByteLength), manifest.WeightBytes);
        ModelFileEntry entry = Assert.Single(manifest.Files);
        Assert.Equal(("model.gguf", new FileInfo(file).Length), (entry.Path, entry.Bytes));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))), entry.Sha256);
        Assert.Equal(Path.Combine(_fixture.Store.Root, manifest.Id, "model.gguf"), _fixture.Store.ModelLoadPath(manifest.Id));
        Assert.True((await _fixture.Store.VerifyAsync(manifest.Id, null, CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task Verify_names_the_gguf_file_when_its_bytes_change()
    {
        string file = Export("m.gguf", GgufTensorType.Q8_0);
        await _fixture.Store.ImportAsync(file, "m", null, CancellationToken.None);
        string stored = _fixture.Store.ModelLoadPath("m");
        byte[] bytes = await File.ReadAllBytesAsync(stored);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(stored, bytes);

        VerificationReport report = await _fixture.Store.VerifyAsync("m", null, CancellationToken.None);

        Assert.False(report.Ok);
        Assert.Equal("model.gguf", Assert.Single(report.Problems).Path);
    }

    [Fact]
    public async Task The_profile_of_a_stored_gguf_model_has_its_shape_and_tensors()
    {
        string file = Export("m.gguf", GgufTensorType.Q8_0);
        await _fixture.Store.ImportAsync(file, "m", null, CancellationToken.None);

        ModelProfile profile = await _fixture.Store.LoadProfileAsync("m", CancellationToken.None);

        Assert.Equal((64, 2, 8, 2, 300), (profile.Architecture.HiddenSize, profile.Architecture.Layers, profile.Architecture.Heads, profile.Architecture.KvHeads, profile.Architecture.VocabSize));
        Assert.Equal("gguf", profile.Weights.Source);
        Assert.Contains(profile.Weights.Tensors, t => t.Name == "model.layers.1.mlp.down_proj.weight" && t.Role == TensorRole.RowLinear);
    }

    [Fact]
    public async Task A_truncated_gguf_is_refused_naming_the_tensor_and_nothing_is_kept()
    {
        string file = Export("cut.gguf", GgufTensorType.Q4_0);
        byte[] bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, bytes[..^2000]);

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.ImportAsync(file, null, null, CancellationToken.None));

        Assert.Equal("invalid_gguf", error.Code);
        Assert.Contains("'output.weight'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _fixture.Store.ListAsync(CancellationToken.None));
        Assert.Empty(_fixture.StoreFiles());
    }

    [Fact]
    public async Task A_gguf_of_an_unsupported_architecture_is_refused_naming_the_key()
    {
        string file = Export("m.gguf", GgufTensorType.Q8_0);
        GgufLayout layout = GgufReader.ReadLayout(file);
        var metadata = layout.Metadata.Entries.Select(e => e.Key == "general.architecture" ? new KeyValuePair<string, object>(e.Key, "gemma") : e).ToList();
        string gemma = Path.Combine(Path.GetDirectoryName(file)!, "gemma.gguf");
        GgufWriter.Write(gemma, metadata, []);

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.ImportAsync(gemma, null, null, CancellationToken.None));

        Assert.Equal("invalid_gguf", error.Code);
        Assert.Contains("'general.architecture' is 'gemma'", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fixture.StoreFiles());
    }

    private string Export(string name, GgufTensorType type)
    {
        string folder = _fixture.Source("gguf");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        GgufExporter.Export(_model.Folder, path, type);
        return path;
    }
}
