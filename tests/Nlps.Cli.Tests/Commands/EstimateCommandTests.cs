using System.Text.Json;
using Nlps.Cli.Commands;
using Nlps.Cli.Estimation;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Cli.Tests.Commands;

public sealed class EstimateCommandTests
{
    private static readonly string Configs = Path.Combine(AppContext.BaseDirectory, "configs");

    [Fact]
    public async Task Llama_3_1_8B_in_bf16_has_the_published_parameter_count_and_kv_bytes_per_token()
    {
        JsonElement report = await EstimateJsonAsync(Request("llama-3.1-8b-instruct.json", context: 8192, tp: 1));

        Assert.Equal(8_030_261_248, report.GetProperty("parameterCount").GetInt64());
        Assert.Equal("config", report.GetProperty("weightsSource").GetString());
        JsonElement one = Assert.Single(report.GetProperty("estimates").EnumerateArray());
        Assert.Equal(16_060_522_496, one.GetProperty("perDevice").GetProperty("weightBytes").GetInt64());
        Assert.Equal(131_072, one.GetProperty("kvBytesPerTokenPerDevice").GetInt64());
        Assert.Equal(8192, one.GetProperty("kvTokens").GetInt64());
        Assert.Equal(131_072L * 8192, one.GetProperty("perDevice").GetProperty("kvCacheBytes").GetInt64());
    }

    [Fact]
    public async Task Without_tp_every_degree_the_heads_allow_is_estimated_and_each_device_holds_less()
    {
        JsonElement report = await EstimateJsonAsync(Request("llama-3.1-70b-instruct.json", context: 8192, tp: null));

        long[] perDevice = report.GetProperty("estimates").EnumerateArray()
            .Select(e => e.GetProperty("perDevice").GetProperty("totalBytes").GetInt64()).ToArray();
        Assert.Equal([1, 2, 4, 8], report.GetProperty("estimates").EnumerateArray().Select(e => e.GetProperty("tensorParallel").GetInt32()));
        Assert.True(perDevice.Zip(perDevice.Skip(1)).All(p => p.First > p.Second));
        Assert.Equal(141_107_412_992, report.GetProperty("estimates")[0].GetProperty("perDevice").GetProperty("weightBytes").GetInt64());
    }

    [Fact]
    public async Task Encoders_cannot_be_split_and_the_table_says_why()
    {
        using var output = new StringWriter();
        int exit = await EstimateCommand.RunAsync(Request("bge-m3.json", context: 512, tp: null), json: false, output, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Contains("TP 2: not possible: xlm-roberta models are not split across devices", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Beside_safetensors_the_weights_are_counted_from_their_headers()
    {
        using var model = TinyModel.Create(TinyModelSpec.Llama3);
        long expected = TinyModel.Weights(model.Spec).Sum(e => e.Shape.Aggregate(1L, (a, b) => a * b));
        var request = new EstimateRequest(new FileInfo(Path.Combine(model.Folder, "config.json")), "fp32", "bf16", 64, 2, 1);

        JsonElement report = await EstimateJsonAsync(request);

        Assert.Equal("safetensors", report.GetProperty("weightsSource").GetString());
        Assert.Equal(expected, report.GetProperty("parameterCount").GetInt64());
        Assert.Equal(expected * 4, report.GetProperty("estimates")[0].GetProperty("perDevice").GetProperty("weightBytes").GetInt64());
    }

    [Fact]
    public async Task A_context_beyond_the_models_limit_is_refused_with_exit_4()
    {
        using var output = new StringWriter();
        int exit = await EstimateCommand.RunAsync(Request("kobart-base-v1.json", context: 4096, tp: 1), json: false, output, TextWriter.Null, CancellationToken.None);

        Assert.Equal(EstimateCommand.ContextTooLong, exit);
        Assert.Contains("REFUSED: max context 4096 exceeds", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("int3", "bf16", 1, "--quant 'int3' is not one of fp32, bf16, fp16, fp8, int8, int4")]
    [InlineData("8", "bf16", 1, "--quant '8'")]
    [InlineData("bf16", "int8", 1, "--kv-cache 'int8'")]
    [InlineData("bf16", "bf16", 0, "--sequences must be at least 1")]
    public async Task Bad_options_exit_2_naming_the_option(string quant, string kv, int sequences, string message)
    {
        using var error = new StringWriter();
        var request = new EstimateRequest(new FileInfo(Path.Combine(Configs, "llama-3.1-8b-instruct.json")), quant, kv, 4096, sequences, 1);

        Assert.Equal(2, await EstimateCommand.RunAsync(request, json: true, TextWriter.Null, error, CancellationToken.None));
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_of_an_unknown_architecture_is_refused_by_name()
    {
        using var folder = new TempFolder();
        string config = Path.Combine(folder.Path, "config.json");
        await File.WriteAllTextAsync(config, """{ "model_type": "gpt_neox", "hidden_size": 64 }""");
        using var error = new StringWriter();

        int exit = await EstimateCommand.RunAsync(new EstimateRequest(new FileInfo(config), "bf16", "bf16", null, 1, null), json: false, TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("unknown architecture model_type 'gpt_neox'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nlpsctl_estimate_runs_offline_and_prints_the_breakdown()
    {
        string config = Path.Combine(Configs, "llama-3.1-8b-instruct.json");
        var result = await ProcessRunner.RunDotnetToolAsync(
            RepositoryPaths.Nlpsctl, ["estimate", "--config", config, "--quant", "int8", "--context", "4096", "--sequences", "4", "--tp", "1"], guard: TimeSpan.FromSeconds(90));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("8,030,261,248 parameters", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("int8 weights, bf16 KV cache, 4,096 tokens context, 4 sequence(s)", result.StandardOutput, StringComparison.Ordinal);
    }

    private static EstimateRequest Request(string config, int? context, int? tp) =>
        new(new FileInfo(Path.Combine(Configs, config)), "bf16", "bf16", context, 1, tp);

    private static async Task<JsonElement> EstimateJsonAsync(EstimateRequest request)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await EstimateCommand.RunAsync(request, json: true, output, error, CancellationToken.None);
        Assert.True(exit == 0, error.ToString());
        return JsonDocument.Parse(output.ToString()).RootElement.Clone();
    }
}
