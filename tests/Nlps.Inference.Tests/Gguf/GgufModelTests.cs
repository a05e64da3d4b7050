using Nlps.Formats.Gguf;
using Nlps.Inference.Engine;
using Nlps.Inference.Gguf;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Tests.Models;

namespace Nlps.Inference.Tests.Gguf;

public sealed class GgufModelTests
{
    private static readonly CpuEngineOptions F32 = new() { Threads = 2, PrefillChunkTokens = 7, WeightFormat = Tensors.WeightFormat.F32 };

    // Rows of 256 and 512 values: whole K-quant super-blocks, so no tensor falls back to Q4_0/Q8_0.
    private static readonly TinyModelSpec KQuantSpec = TinyModelSpec.Llama3 with { Hidden = 256, Intermediate = 512, Heads = 4, KvHeads = 2 };

    [Theory]
    [InlineData("llama3")]
    [InlineData("qwen2")]
    [InlineData("mistral")]
    public void An_f32_export_loads_with_the_same_config_and_logits_as_the_safetensors_folder(string family)
    {
        using var tiny = TinyModel.Create(LlamaModelTests.Spec(family));
        string path = Path.Combine(tiny.Folder, "model.gguf");
        GgufExporter.Export(tiny.Folder, path, GgufTensorType.F32);
        int[] prompt = LlamaModelTests.Prompt(tiny.Spec.Vocab, 12, seed: 5);

        using var hf = LlamaModel.Load(tiny.Folder, F32);
        using var gguf = LlamaModel.LoadGguf(path, F32);

        // GGUF keeps eps as f32 and llama3 scaling as per-frequency factors; mistral is a llama-architecture file.
        LlamaConfig Comparable(LlamaConfig c) => c with { ModelType = GgufModelConfig.Architecture(c), RmsNormEps = (float)c.RmsNormEps, RopeScaling = null, RopeFrequencyFactors = null, BosTokenIds = [], EosTokenIds = [] };
        Assert.Equal(Comparable(hf.Config), Comparable(gguf.Config));
        Assert.True(Error(AllLogits(hf, prompt), AllLogits(gguf, prompt)) < 1e-5);
    }

    [Theory]
    [InlineData(GgufTensorType.F16, 2e-3)]
    [InlineData(GgufTensorType.BF16, 2e-2)]
    [InlineData(GgufTensorType.Q8_0, 5e-2)]
    [InlineData(GgufTensorType.Q4_0, 0.25)]
    public void Reduced_precision_exports_stay_within_their_formats_error_of_f32(GgufTensorType type, double tolerance)
    {
        using var tiny = TinyModel.Create(TinyModelSpec.Llama3);
        string path = Path.Combine(tiny.Folder, "model.gguf");
        GgufExporter.Export(tiny.Folder, path, type);
        int[] prompt = LlamaModelTests.Prompt(tiny.Spec.Vocab, 12, seed: 9);

        using var hf = LlamaModel.Load(tiny.Folder, F32);
        using var gguf = LlamaModel.LoadGguf(path, F32 with { WeightFormat = Tensors.WeightFormat.Auto });

        double error = Error(AllLogits(hf, prompt), AllLogits(gguf, prompt));
        Assert.True(error < tolerance, $"{type}: relative logit error {error:E2} over {tolerance}");
    }

    [Fact]
    public void Q4_0_and_q8_0_files_load_exactly_into_int4_and_int8_weights()
    {
        using var tiny = TinyModel.Create(TinyModelSpec.Llama3);
        string q4 = Path.Combine(tiny.Folder, "q4.gguf");
        GgufExporter.Export(tiny.Folder, q4, GgufTensorType.Q4_0);
        int[] prompt = LlamaModelTests.Prompt(tiny.Spec.Vocab, 9, seed: 2);

        // Int4 and the dequantized f32 copy hold the same values; they differ only by activation quantization.
        using var int4 = LlamaModel.LoadGguf(q4, F32 with { WeightFormat = Tensors.WeightFormat.Int4 });
        using var asInt8 = LlamaModel.LoadGguf(q4, F32 with { WeightFormat = Tensors.WeightFormat.Int8 });
        using var dequantized = LlamaModel.LoadGguf(q4, F32);

        float[] exact = AllLogits(dequantized, prompt);
        Assert.True(Error(exact, AllLogits(int4, prompt)) < 2e-2);
        Assert.Equal(AllLogits(asInt8, prompt), AllLogits(int4, prompt), (x, y) => Math.Abs(x - y) <= 1e-4f * (1 + Math.Abs(x)));
    }

    [Theory]
    [InlineData(GgufTensorType.Q4_K)]
    [InlineData(GgufTensorType.Q6_K)]
    public void K_quant_files_load_exactly_into_their_int_layouts(GgufTensorType type)
    {
        using var tiny = TinyModel.Create(KQuantSpec);
        string path = Path.Combine(tiny.Folder, "model.gguf");
        GgufExporter.Export(tiny.Folder, path, type);
        int[] prompt = LlamaModelTests.Prompt(tiny.Spec.Vocab, 9, seed: 4);

        using var native = LlamaModel.LoadGguf(path, F32 with { WeightFormat = Tensors.WeightFormat.Auto });
        using var int8 = LlamaModel.LoadGguf(path, F32 with { WeightFormat = Tensors.WeightFormat.Int8 });
        using var dequantized = LlamaModel.LoadGguf(path, F32);

        Assert.All(GgufReader.ReadLayout(path).Tensors.Where(t => t.Dimensions.Length == 2), t => Assert.Equal(type, t.Type));
        float[] exact = AllLogits(dequantized, prompt);
        double nativeError = Error(exact, AllLogits(native, prompt)), int8Error = Error(exact, AllLogits(int8, prompt));

        // Only the activations are quantized in the exact layouts, so they stay closer than a requantized int8 copy.
        Assert.True(nativeError < 5e-2 && nativeError <= int8Error, $"the int layouts differ from the dequantized weights by {nativeError:E2}; int8 {int8Error:E2}");
    }

    [Fact]
    public void K_quant_exports_rank_between_q8_0_and_q4_0_in_error_against_f32()
    {
        using var tiny = TinyModel.Create(KQuantSpec);
        int[] prompt = LlamaModelTests.Prompt(tiny.Spec.Vocab, 9, seed: 4);
        using var hf = LlamaModel.Load(tiny.Folder, F32);
        float[] reference = AllLogits(hf, prompt);

        double ErrorOf(GgufTensorType type)
        {
            string path = Path.Combine(tiny.Folder, $"{type}.gguf");
            GgufExporter.Export(tiny.Folder, path, type);
            using var gguf = LlamaModel.LoadGguf(path, F32);
            return Error(reference, AllLogits(gguf, prompt));
        }

        double[] errors = [ErrorOf(GgufTensorType.Q8_0), ErrorOf(GgufTensorType.Q6_K), ErrorOf(GgufTensorType.Q4_K), ErrorOf(GgufTensorType.Q4_0)];

        Assert.True(errors.SequenceEqual(errors.Order()), $"relative logit errors Q8_0, Q6_K, Q4_K, Q4_0: {string.Join(", ", errors.Select(e => e.ToString("E2", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public void A_gguf_file_serves_as_a_language_model_with_its_own_tokenizer_and_template()
    {
        using var tiny = TinyModel.Create(TinyModelSpec.Llama3);
        string path = Path.Combine(tiny.Folder, "chat.gguf");
        GgufExporter.Export(tiny.Folder, path, GgufTensorType.Q8_0);

        using CpuLanguageModel hf = CpuLanguageModel.Load(tiny.Folder);
        using CpuLanguageModel gguf = CpuLanguageModel.Load(path);

        Assert.Equal("chat", gguf.Id);
        Assert.Equal(hf.Tokenizer.Encode("hello world<|eot_id|> 한국어", addSpecialTokens: true), gguf.Tokenizer.Encode("hello world<|eot_id|> 한국어", addSpecialTokens: true));
        Assert.Equal(hf.EndOfSequenceTokens.Order(), gguf.EndOfSequenceTokens.Order());
        Assert.Equal(hf.ChatTemplate?.GetType(), gguf.ChatTemplate?.GetType());
    }

    [Fact]
    public void The_rope_row_permutation_matches_llama_cpps_reshape_and_is_undone_on_load()
    {
        // convert_hf_to_gguf.py: w.reshape(n_head, 2, d/2, cols).swapaxes(1, 2): GGUF row (h, i, j) ← HF row (h, j, i).
        const int headDim = 8, heads = 3;
        for (int h = 0; h < heads; h++)
        {
            for (int i = 0; i < headDim / 2; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    int ggufRow = (h * headDim) + (i * 2) + j;
                    int hfRow = (h * headDim) + (j * headDim / 2) + i;
                    Assert.Equal(hfRow, GgufTensorNames.HuggingFaceRowOf(ggufRow, headDim));
                    Assert.Equal(ggufRow, GgufTensorNames.GgufRowOf(hfRow, headDim));
                }
            }
        }
    }

    [Fact]
    public void A_file_of_an_unsupported_architecture_is_refused_naming_the_key()
    {
        using var tiny = TinyModel.Create(TinyModelSpec.Llama3);
        string path = Path.Combine(tiny.Folder, "model.gguf");
        GgufExporter.Export(tiny.Folder, path, GgufTensorType.Q8_0);
        GgufLayout layout = GgufReader.ReadLayout(path);
        string gemma = Path.Combine(tiny.Folder, "gemma.gguf");
        GgufWriter.Write(gemma, layout.Metadata.Entries.Select(e => e.Key == "general.architecture" ? new(e.Key, "gemma") : e), [.. layout.Tensors.Select(t => Copy(path, layout, t))]);

        var error = Assert.Throws<Inference.Models.ModelConfigException>(() => LlamaModel.LoadGguf(gemma, F32));

        Assert.Contains("'general.architecture' is 'gemma'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_with_an_unsupported_tensor_type_is_refused_naming_the_tensor()
    {
        using var tiny = TinyModel.Create(TinyModelSpec.Llama3);
        string path = Path.Combine(tiny.Folder, "model.gguf");
        GgufExporter.Export(tiny.Folder, path, GgufTensorType.F32);
        GgufLayout layout = GgufReader.ReadLayout(path);
        var tensors = layout.Tensors.Select(t => t.Name == "blk.0.ffn_up.weight"
            ? new GgufTensorData(t.Name, GgufTensorType.Q4_1, t.Dimensions, s => s.Write(new byte[GgufTensorTypes.RowBytes(GgufTensorType.Q4_1, t.Dimensions[0]) * t.Dimensions[1]]))
            : Copy(path, layout, t)).ToList();
        string changed = Path.Combine(tiny.Folder, "q4_1.gguf");
        GgufWriter.Write(changed, layout.Metadata.Entries, tensors);

        var error = Assert.Throws<Inference.Models.ModelConfigException>(() => LlamaModel.LoadGguf(changed, F32));

        Assert.Contains("model.layers.0.mlp.up_proj.weight' has dtype Q4_1", error.Message, StringComparison.Ordinal);
    }

    private static GgufTensorData Copy(string path, GgufLayout layout, GgufTensorInfo t) =>
        new(t.Name, t.Type, t.Dimensions, s =>
        {
            using var source = File.OpenRead(path);
            source.Position = layout.DataStart + t.Offset;
            var buffer = new byte[t.ByteLength];
            source.ReadExactly(buffer);
            s.Write(buffer);
        });

    private static float[] AllLogits(LlamaModel model, int[] prompt)
    {
        using KvCache cache = model.CreateCache(prompt.Length);
        var logits = new float[prompt.Length * model.Config.VocabSize];
        model.PrefillAllPositions(prompt, cache, logits);
        return logits;
    }

    private static double Error(float[] expected, float[] actual)
    {
        double diff = 0, max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs(expected[i] - actual[i]));
            max = Math.Max(max, Math.Abs(expected[i]));
        }

        return diff / max;
    }
}
