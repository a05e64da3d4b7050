using Microsoft.Extensions.AI;
using Nlps.Inference.Embeddings;
using Nlps.Inference.Engine;
using Nlps.Inference.Models;
using Nlps.Inference.Models.Encoders.Pooling;

namespace Nlps.Inference.Tests.Embeddings;

/// <summary>Encoder folders served as embedding models: pooling choice, truncation policy, sides, and the IEmbeddingGenerator surface.</summary>
public sealed class EncoderEmbeddingModelTests
{
    [Fact]
    public void Batch_results_equal_one_at_a_time_and_are_unit_length_with_the_default_cls_pooling()
    {
        using var folder = TinyEncoder.Create(new TinyEncoderSpec());
        using var model = EncoderEmbeddingModel.Load(folder.Folder, new EncoderEmbeddingModelOptions { Threads = 2, MaxBatchTokens = 20 });
        string[] texts = ["the query", "a much longer passage, with punctuation and 123 digits", "x", "금융 한국어 text"];
        var batch = model.Embed(texts, string.Empty, CancellationToken.None);
        Assert.Equal(new EmbeddingPooling(PoolingMode.Cls, true), model.Pooling);
        for (int i = 0; i < texts.Length; i++)
        {
            var alone = model.Embed([texts[i]], string.Empty, CancellationToken.None);
            Assert.Equal(alone.Vectors[0], batch.Vectors[i], (a, b) => Math.Abs(a - b) < 1e-5f);
            Assert.Equal(1.0, Math.Sqrt(batch.Vectors[i].Sum(v => (double)v * v)), 4);
        }

        Assert.Equal(texts.Sum(t => model.Tokenizer.Encode(t, addSpecialTokens: true).Count), batch.Tokens);
    }

    [Fact]
    public void Sentence_transformers_mean_pooling_without_normalize_is_taken_from_the_folder()
    {
        using var folder = TinyEncoder.Create(new TinyEncoderSpec { ModelType = "xlm-roberta", PoolingMode = "pooling_mode_mean_tokens" });
        using var model = EncoderEmbeddingModel.Load(folder.Folder);
        Assert.Equal(new EmbeddingPooling(PoolingMode.Mean, false), model.Pooling);
        Assert.NotEqual(1.0, Math.Sqrt(model.Embed(["the passage"], string.Empty, CancellationToken.None).Vectors[0].Sum(v => (double)v * v)), 3);
    }

    [Fact]
    public void An_unsupported_pooling_mode_is_refused_by_name_at_load()
    {
        using var folder = TinyEncoder.Create(new TinyEncoderSpec { PoolingMode = "pooling_mode_weightedmean_tokens" });
        var error = Assert.Throws<ModelConfigException>(() => EncoderEmbeddingModel.Load(folder.Folder));
        Assert.Contains("pooling_mode_weightedmean_tokens is not supported", error.Message, StringComparison.Ordinal);
        Assert.Throws<ModelConfigException>(() => EmbeddingPooling.ParseMode("attention"));
    }

    [Fact]
    public void An_input_over_the_limit_is_refused_with_its_index_and_both_counts_by_default()
    {
        using var folder = TinyEncoder.Create(new TinyEncoderSpec { MaxPositions = 16 });
        using var model = EncoderEmbeddingModel.Load(folder.Folder);
        var error = Assert.Throws<ContextLengthExceededException>(() => model.Embed(["ok", string.Join(' ', Enumerable.Repeat("the", 20))], string.Empty, CancellationToken.None));
        Assert.Contains("input 1 has 22 tokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncation_keeps_cls_and_sep_and_equals_embedding_the_cut_text()
    {
        using var folder = TinyEncoder.Create(new TinyEncoderSpec { MaxPositions = 16 });
        using var model = EncoderEmbeddingModel.Load(folder.Folder, new EncoderEmbeddingModelOptions { Truncation = TruncationPolicy.Truncate });
        string words = string.Join(' ', Enumerable.Range(0, 20).Select(i => ((char)('a' + i)).ToString()));
        var truncated = model.Embed([words], string.Empty, CancellationToken.None);
        var cut = model.Embed([string.Join(' ', words.Split(' ').Take(14))], string.Empty, CancellationToken.None);
        Assert.Equal(16, truncated.Tokens);
        Assert.Equal(cut.Vectors[0], truncated.Vectors[0]);
    }

    [Fact]
    public async Task Generator_applies_the_side_prefix_chosen_in_the_options_and_reports_usage()
    {
        using var folder = TinyEncoder.Create(new TinyEncoderSpec());
        using var dual = new DualEncoder(EncoderEmbeddingModel.Load(folder.Folder), queryPrefix: "query: ", passagePrefix: "passage: ");
        using var generator = new EncoderEmbeddingGenerator(dual, "e5-tiny");
        var asPassage = await generator.GenerateAsync(["seoul"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [EncoderEmbeddingGenerator.SideOptionKey] = "passage" } });
        var asDefault = await generator.GenerateAsync(["seoul"]);
        var direct = dual.EncoderFor(EmbeddingSide.Passage).Embed(["passage: seoul"], string.Empty, CancellationToken.None);
        var query = dual.EncoderFor(EmbeddingSide.Query).Embed(["query: seoul"], string.Empty, CancellationToken.None);
        Assert.Equal(direct.Vectors[0], asPassage[0].Vector.ToArray());
        Assert.Equal(query.Vectors[0], asDefault[0].Vector.ToArray());
        Assert.Equal(direct.Tokens, asPassage.Usage!.InputTokenCount);
        Assert.Equal("e5-tiny", asPassage[0].ModelId);
    }

    [Fact]
    public async Task Separate_query_and_passage_encoders_give_different_vectors_for_the_same_text()
    {
        using var passageFolder = TinyEncoder.Create(new TinyEncoderSpec { Seed = 1 });
        using var queryFolder = TinyEncoder.Create(new TinyEncoderSpec { Seed = 2 });
        using var dual = new DualEncoder(EncoderEmbeddingModel.Load(passageFolder.Folder), EncoderEmbeddingModel.Load(queryFolder.Folder));
        using var generator = new EncoderEmbeddingGenerator(dual, "dpr-tiny");
        var query = await generator.GenerateAsync(["what is dpr"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [EncoderEmbeddingGenerator.SideOptionKey] = "query" } });
        var passage = await generator.GenerateAsync(["what is dpr"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [EncoderEmbeddingGenerator.SideOptionKey] = "passage" } });
        Assert.True(dual.IsDual);
        Assert.NotEqual(query[0].Vector.ToArray(), passage[0].Vector.ToArray());
    }

    [Fact]
    public async Task Generator_refuses_an_unknown_side_and_a_dimensions_request_it_cannot_honour()
    {
        using var folder = TinyEncoder.Create(new TinyEncoderSpec());
        using var dual = new DualEncoder(EncoderEmbeddingModel.Load(folder.Folder));
        using var generator = new EncoderEmbeddingGenerator(dual, "tiny");
        var side = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [EncoderEmbeddingGenerator.SideOptionKey] = "document" } }));
        Assert.Contains("'query' or 'passage'", side.Message, StringComparison.Ordinal);
        var dimensions = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { Dimensions = 8 }));
        Assert.Contains("32-dimensional", dimensions.Message, StringComparison.Ordinal);
        Assert.Equal(32, generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }
}
