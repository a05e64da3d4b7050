using System.Text.Json;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Seq2Seq;

namespace Nlps.Inference.Tests.Models.Seq2Seq;

/// <summary>
/// BART against PyTorch (oracle/make_seq2seq_oracle.py, committed output): a tiny random f32 BartForConditionalGeneration
/// (scaled embeddings, final_logits_bias, forced bos/eos) and a bf16 KoBART-shaped BartModel. Encoder states and
/// teacher-forced decoder logits agree within 1e-4; greedy and beam-search outputs are the same token sequences.
/// </summary>
public sealed class BartOracleTests
{
    public static TheoryData<string> Models => ["bart-f32", "kobart-bf16"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Encoder_states_of_a_mixed_length_batch_match_the_padded_and_masked_reference(string name)
    {
        using JsonDocument expected = Expected(name);
        int[][] sources = Sources(expected);
        using var model = BartModel.Load(Folder(name), new CpuEngineOptions { Threads = 2 });
        var hidden = new float[sources.Sum(s => s.Length) * model.Config.DModel];
        model.Encode(sources, hidden);

        int at = 0;
        foreach (var (reference, s) in expected.RootElement.GetProperty("hidden").EnumerateArray().Select((r, s) => (r, s)))
        {
            double[] values = [.. reference.EnumerateArray().Select(v => v.GetDouble())];
            double error = values.Select((v, i) => Math.Abs(hidden[at + i] - v)).Max();
            Assert.True(error <= 1e-4, $"{name}: source {s} differs by {error:E2}");
            at += values.Length;
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Teacher_forced_decoder_logits_match_the_reference(string name)
    {
        using JsonDocument expected = Expected(name);
        JsonElement root = expected.RootElement;
        int[] input = [.. root.GetProperty("decoder_input").EnumerateArray().Select(v => v.GetInt32())];
        double[] reference = [.. root.GetProperty("decoder_logits").EnumerateArray().Select(v => v.GetDouble())];
        using var model = BartModel.Load(Folder(name), new CpuEngineOptions { Threads = 2 });

        float[] logits = model.DecoderLogits(Sources(expected)[1], input);

        Assert.Equal(reference.Length, logits.Length);
        double error = reference.Select((v, i) => Math.Abs(logits[i] - v)).Max();
        Assert.True(error <= 1e-4, $"{name}: logits differ by {error:E2}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Greedy_outputs_of_a_batch_are_the_reference_tokens(string name)
    {
        using JsonDocument expected = Expected(name);
        JsonElement root = expected.RootElement;
        using var model = BartModel.Load(Folder(name), new CpuEngineOptions { Threads = 2 });

        var results = model.Generate(Sources(expected), new Seq2SeqGenerationOptions { MaxNewTokens = root.GetProperty("max_new_tokens").GetInt32() });

        Assert.Equal(Rows(root.GetProperty("greedy")), results.Select(r => r.Tokens).ToArray());
        Assert.All(results, r => Assert.Equal(r.Tokens[^1] == model.Config.EosTokenId, r.EndedWithEos));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Beam_search_outputs_of_a_batch_are_the_reference_tokens(string name)
    {
        using JsonDocument expected = Expected(name);
        JsonElement root = expected.RootElement;
        using var model = BartModel.Load(Folder(name), new CpuEngineOptions { Threads = 2 });
        foreach (JsonElement run in root.GetProperty("beam").EnumerateArray())
        {
            var options = new Seq2SeqGenerationOptions
            {
                MaxNewTokens = root.GetProperty("max_new_tokens").GetInt32(),
                NumBeams = run.GetProperty("num_beams").GetInt32(),
                LengthPenalty = run.GetProperty("length_penalty").GetDouble(),
                EarlyStopping = run.GetProperty("early_stopping").GetBoolean(),
            };

            var results = model.Generate(Sources(expected), options);

            Assert.Equal(Rows(run.GetProperty("outputs")), results.Select(r => r.Tokens).ToArray());
        }
    }

    [Fact]
    public void Each_source_alone_generates_what_it_generates_in_a_batch()
    {
        using JsonDocument expected = Expected("bart-f32");
        int[][] sources = Sources(expected);
        using var model = BartModel.Load(Folder("bart-f32"), new CpuEngineOptions { Threads = 1 });
        var options = new Seq2SeqGenerationOptions { MaxNewTokens = 8, NumBeams = 3 };
        var batch = model.Generate(sources, options);

        for (int s = 0; s < sources.Length; s++)
        {
            Assert.Equal(batch[s].Tokens, model.Generate([sources[s]], options)[0].Tokens);
        }
    }

    internal static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "oracle", name);

    private static JsonDocument Expected(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(name), "expected.json")));

    private static int[][] Sources(JsonDocument expected) => Rows(expected.RootElement.GetProperty("sources"));

    private static int[][] Rows(JsonElement array) =>
        [.. array.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray())];
}
