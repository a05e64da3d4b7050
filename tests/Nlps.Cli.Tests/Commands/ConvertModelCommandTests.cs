using Nlps.Formats.Gguf;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Cli.Tests.Commands;

public sealed class ConvertModelCommandTests
{
    [Fact]
    public async Task Nlpsctl_exports_a_model_folder_as_a_q8_0_gguf_that_reads_back()
    {
        using var tiny = TinyModel.Create(TinyModelSpec.Llama3);
        string output = Path.Combine(tiny.Folder, "out.gguf");

        var result = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["models", "convert", tiny.Folder, "--to", "gguf", "--type", "q8_0", "--output", output], guard: TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0, result.StandardError);
        GgufLayout layout = GgufReader.ReadLayout(output);
        Assert.Equal("llama", layout.Metadata.String("general.architecture"));
        Assert.Equal(GgufTensorType.Q8_0, layout.Tensors.Single(t => t.Name == "blk.0.attn_q.weight").Type);
        Assert.Equal(GgufTensorType.F32, layout.Tensors.Single(t => t.Name == "output_norm.weight").Type);
        Assert.Equal("gpt2", layout.Metadata.String("tokenizer.ggml.model"));
    }

    [Fact]
    public async Task Nlpsctl_refuses_an_unknown_type_and_writes_nothing()
    {
        using var tiny = TinyModel.Create(TinyModelSpec.Llama3);
        string output = Path.Combine(tiny.Folder, "out.gguf");

        var result = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["models", "convert", tiny.Folder, "--to", "gguf", "--type", "q3_k", "--output", output], guard: TimeSpan.FromSeconds(120));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unsupported_type", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
