using System.Text.Json;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Encoders;
using Nlps.Inference.Models.Encoders.Pooling;

namespace Nlps.Inference.Tests.Models.Encoders;

/// <summary>
/// The encoders against PyTorch (oracle/make_encoder_oracle.py, committed output): tiny random BERT (f32, CLS pooling,
/// normalised) and XLM-R (bf16, positions from padding_idx + 1, mean pooling), a batch of five sequences of mixed
/// lengths that the reference pads and masks. Hidden states and pooled embeddings must agree within 1e-4.
/// </summary>
public sealed class EncoderOracleTests
{
    public static TheoryData<string> Models => ["bert-cls", "xlmr-mean"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Hidden_states_of_a_mixed_length_batch_match_the_padded_and_masked_reference(string name)
    {
        var (folder, sequences, hidden, _) = Read(name);
        using var model = EncoderModel.Load(folder, new CpuEngineOptions { Threads = 2 });
        var actual = new float[sequences.Sum(s => s.Length) * model.Config.HiddenSize];
        model.Forward(sequences, actual);

        int at = 0;
        for (int s = 0; s < sequences.Length; s++)
        {
            double error = hidden[s].Select((v, i) => Math.Abs(actual[at + i] - v)).Max();
            Assert.True(error <= 1e-4, $"{name}: sequence {s} ({sequences[s].Length} tokens) differs by {error:E2}");
            at += hidden[s].Length;
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Each_sequence_alone_gives_the_same_states_as_in_the_batch(string name)
    {
        var (folder, sequences, hidden, _) = Read(name);
        using var model = EncoderModel.Load(folder, new CpuEngineOptions { Threads = 1 });
        for (int s = 0; s < sequences.Length; s++)
        {
            var actual = new float[hidden[s].Length];
            model.Forward([sequences[s]], actual);
            double error = hidden[s].Select((v, i) => Math.Abs(actual[i] - v)).Max();
            Assert.True(error <= 1e-4, $"{name}: sequence {s} alone differs by {error:E2}");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Pooling_from_the_sentence_transformers_files_matches_the_reference_embeddings(string name)
    {
        var (folder, sequences, _, embeddings) = Read(name);
        using var model = EncoderModel.Load(folder, new CpuEngineOptions { Threads = 2 });
        var pooling = EmbeddingPooling.FromFolder(folder, new EmbeddingPooling(PoolingMode.Max, Normalize: false));
        Assert.Equal(name == "bert-cls" ? new EmbeddingPooling(PoolingMode.Cls, true) : new EmbeddingPooling(PoolingMode.Mean, false), pooling);
        int h = model.Config.HiddenSize;
        var hidden = new float[sequences.Sum(s => s.Length) * h];
        model.Forward(sequences, hidden);
        int at = 0;
        for (int s = 0; s < sequences.Length; s++)
        {
            var pooled = new float[h];
            pooling.Pool(hidden.AsSpan(at * h, sequences[s].Length * h), sequences[s].Length, h, pooled);
            double error = embeddings[s].Select((v, i) => Math.Abs(pooled[i] - v)).Max();
            Assert.True(error <= 1e-4, $"{name}: embedding {s} differs by {error:E2}");
            at += sequences[s].Length;
        }
    }

    [Fact]
    public void A_sequence_longer_than_the_position_embeddings_is_refused_with_both_counts()
    {
        var (folder, _, _, _) = Read("xlmr-mean");
        using var model = EncoderModel.Load(folder, new CpuEngineOptions { Threads = 1 });
        var error = Assert.Throws<ArgumentException>(() => model.Forward([new int[41]], new float[41 * 64]));
        Assert.Contains("41 tokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 to 40", error.Message, StringComparison.Ordinal);
    }

    internal static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "oracle", name);

    private static (string Folder, int[][] Sequences, double[][] Hidden, double[][] Embeddings) Read(string name)
    {
        string folder = Folder(name);
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")));
        JsonElement root = expected.RootElement;
        return (
            folder,
            Rows(root.GetProperty("sequences"), e => e.GetInt32()),
            Rows(root.GetProperty("hidden"), e => e.GetDouble()),
            Rows(root.GetProperty("embeddings"), e => e.GetDouble()));
    }

    private static T[][] Rows<T>(JsonElement array, Func<JsonElement, T> read) =>
        [.. array.EnumerateArray().Select(row => row.EnumerateArray().Select(read).ToArray())];
}
