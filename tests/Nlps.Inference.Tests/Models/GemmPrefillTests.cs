using Nlps.Formats.Gguf;
using Nlps.Inference.Engine;
using Nlps.Inference.Gguf;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Tests.Models;

/// <summary>
/// Prefill through the register-tiled GEMM (forced from 2 rows here) against the matvec path that decodes one token at
/// a time, for every weight format, at prompt lengths that are not multiples of the 8-row × 32-token tile.
/// </summary>
public sealed class GemmPrefillTests
{
    private static readonly CpuEngineOptions Gemm = new() { Threads = 2, GemmMinRows = 2 };

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

    // f32 and bf16: both paths multiply the same f32 values and differ only in summation order. int8 and int4: a decode
    // step also quantizes its activations to int8 blocks (the GEMM keeps them f32), so the two may differ by the engine's
    // stated int8 tolerance, 5% of the largest logit (LlamaModelTests); measured here 0.5%..2.3%. That the GEMM
    // multiplies exactly the stored quantized values is the next test's job.
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
        double tolerance = format is WeightFormat.F32 or WeightFormat.BF16 ? 1e-5 : 5e-2;
        for (int t = 0; t < length; t++)
        {
            model.DecodeBatch([prompt[t]], [stepped], step);
            double error = Error(step, all.AsSpan(t * vocab, vocab));
            Assert.True(error <= tolerance, $"{format}, {length} tokens: position {t} differs by {error:E2} (tolerance {tolerance:E0})");
        }
    }

    // Q8_0 and Q4_0 files load exactly as int8 and int4, and as f32 they load as the same values dequantized: the GEMM's
    // widened rows must multiply exactly those values.
    [Theory]
    [InlineData(GgufTensorType.Q8_0, WeightFormat.Int8)]
    [InlineData(GgufTensorType.Q4_0, WeightFormat.Int4)]
    public void Gemm_prefill_of_quantized_weights_equals_f32_prefill_of_their_dequantized_values(GgufTensorType type, WeightFormat format)
    {
        using var tiny = TinyModel.Create(TinyModelSpec.Llama3);
        string path = Path.Combine(tiny.Folder, "model.gguf");
        GgufExporter.Export(tiny.Folder, path, type);
        int[] prompt = LlamaModelTests.Prompt(tiny.Spec.Vocab, 33, seed: 8);

        using var quantized = LlamaModel.LoadGguf(path, Gemm with { WeightFormat = format });
        using var dequantized = LlamaModel.LoadGguf(path, Gemm with { WeightFormat = WeightFormat.F32 });

        float[] expected = AllLogits(dequantized, prompt);
        float[] actual = AllLogits(quantized, prompt);
        Assert.True(Error(expected, actual) <= 1e-5, $"{format}: relative error {Error(expected, actual):E2}");
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
