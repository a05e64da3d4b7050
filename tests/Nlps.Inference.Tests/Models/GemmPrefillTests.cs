using Nlps.Formats.Gguf;
using Nlps.Inference.Engine;
using Nlps.Inference.Gguf;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Tests.Models;

/// <summary>
/// Prefill through the register-tiled GEMMs (forced from 2 rows here) against the matvec path that decodes one token at
/// a time, for every weight format, at prompt lengths that are not multiples of the 8-row × 32-token tile.
/// </summary>
public sealed class GemmPrefillTests
{
    private static readonly CpuEngineOptions Gemm = new() { Threads = 2, GemmMinRows = 2, IntegerGemmMinRows = 2 };

    public static TheoryData<WeightFormat, int> FormatsAndLengths()
    {
        var data = new TheoryData<WeightFormat, int>();
        foreach (WeightFormat format in new[] { WeightFormat.F32, WeightFormat.BF16, WeightFormat.Int8, WeightFormat.Int4 })
        {
            foreach (int length in new[] { 1, 5, 7, 33 })
            {
                data.Add(format, length);
            }
        }

        return data;
    }

    // Both paths multiply the same values and differ only in summation order: f32 and bf16 the same f32 activations,
    // int8 and int4 (the integer GEMM on AVX-VNNI) the same int8-quantized activations. Without AVX-VNNI int8/int4 take
    // the f32 GEMM, which keeps f32 activations where a decode step quantizes them: the engine's int8 tolerance then.
    [Theory]
    [MemberData(nameof(FormatsAndLengths))]
    public void Gemm_prefill_gives_the_logits_of_token_by_token_decode(WeightFormat format, int length)
    {
        using var tiny = TinyModel.Create(TinyModelSpec.Qwen2);
        using var model = LlamaModel.Load(tiny.Folder, Gemm with { WeightFormat = format });
        int vocab = model.Config.VocabSize;
        int[] prompt = LlamaModelTests.Prompt(tiny.Spec.Vocab, length, seed: 40 + length);

        using KvCache prefilled = model.CreateCache(length);
        var all = new float[length * vocab];
        model.PrefillAllPositions(prompt, prefilled, all);

        using KvCache stepped = model.CreateCache(length);
        var step = new float[vocab];
        bool f32Activations = format is WeightFormat.Int8 or WeightFormat.Int4 && !System.Runtime.Intrinsics.X86.AvxVnni.IsSupported;
        double tolerance = f32Activations ? 5e-2 : 1e-5;
        for (int t = 0; t < length; t++)
        {
            model.DecodeBatch([prompt[t]], [stepped], step);
            double error = Error(step, all.AsSpan(t * vocab, vocab));
            Assert.True(error <= tolerance, $"{format}, {length} tokens: position {t} differs by {error:E2} (tolerance {tolerance:E0})");
        }
    }

    // Q8_0 and Q4_0 files load exactly as int8 and int4, and as f32 they load as the same values dequantized: the f32
    // GEMM's widened rows (what int8/int4 take without AVX-VNNI) must multiply exactly those values.
    [Theory]
    [InlineData(GgufTensorType.Q8_0, WeightFormat.Int8)]
    [InlineData(GgufTensorType.Q4_0, WeightFormat.Int4)]
    public void F32_gemm_prefill_of_quantized_weights_equals_f32_prefill_of_their_dequantized_values(GgufTensorType type, WeightFormat format)
    {
        double error = PrefillError(
            type,
            seed: 8,
            expected: Gemm with { WeightFormat = WeightFormat.F32 },
            actual: Gemm with { WeightFormat = format, IntegerGemmMinRows = int.MaxValue, TokenLaneMinRows = int.MaxValue });
        Assert.True(error <= 1e-5, $"{format}: relative error {error:E2}");
    }

    // The integer GEMM quantizes the activations exactly as the matvec does, so a prompt through it gives the matvec's
    // logits up to f32 rounding order.
    [Theory]
    [InlineData(GgufTensorType.Q8_0, WeightFormat.Int8)]
    [InlineData(GgufTensorType.Q4_0, WeightFormat.Int4)]
    public void Integer_gemm_prefill_equals_matvec_prefill(GgufTensorType type, WeightFormat format)
    {
        double error = PrefillError(
            type,
            seed: 9,
            expected: Gemm with { WeightFormat = format, GemmMinRows = int.MaxValue, IntegerGemmMinRows = int.MaxValue, TokenLaneMinRows = int.MaxValue },
            actual: Gemm with { WeightFormat = format, IntegerGemmMinRows = 2 });
        Assert.True(error <= 1e-5, $"{format}: relative error {error:E2}");
    }

    // A tiny Llama 3 exported as <paramref name="type"/>, loaded twice: the relative difference of all logits of a
    // 33-token prompt between the two loads.
    private static double PrefillError(GgufTensorType type, int seed, CpuEngineOptions expected, CpuEngineOptions actual)
    {
        using var tiny = TinyModel.Create(TinyModelSpec.Llama3);
        string path = Path.Combine(tiny.Folder, "model.gguf");
        GgufExporter.Export(tiny.Folder, path, type);
        int[] prompt = LlamaModelTests.Prompt(tiny.Spec.Vocab, 33, seed);
        using var reference = LlamaModel.LoadGguf(path, expected);
        using var candidate = LlamaModel.LoadGguf(path, actual);
        return Error(AllLogits(reference, prompt), AllLogits(candidate, prompt));
    }

    private static float[] AllLogits(LlamaModel model, int[] prompt)
    {
        using KvCache cache = model.CreateCache(prompt.Length);
        var logits = new float[prompt.Length * model.Config.VocabSize];
        model.PrefillAllPositions(prompt, cache, logits);
        return logits;
    }

    private static double Error(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
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
