using Nlps.Sdk.Storage;
using Nlps.Storage.Tests.Support;
using Nlps.Storage.Vectors;

namespace Nlps.Storage.Tests.Vectors;

public sealed class SqliteVectorStoreTests : IDisposable
{
    private readonly TemporaryDatabase temporary = new();
    private readonly VectorStoreFactory factory;
    private readonly IVectorStore store;

    public SqliteVectorStoreTests()
    {
        factory = new VectorStoreFactory(temporary.Database, temporary.Time);
        store = factory.For("rag-chatbot");
    }

    public void Dispose() => temporary.Dispose();

    [Theory]
    [InlineData(VectorQuantization.None)]
    [InlineData(VectorQuantization.Int8)]
    public async Task Top_k_matches_a_brute_force_ranking_of_random_vectors(VectorQuantization quantization)
    {
        const int dims = 67; // not a multiple of any SIMD width, so the tail is exercised
        var random = new Random(7);
        var vectors = Enumerable.Range(0, 300).Select(_ => Unit(random, dims)).ToList();
        await store.EnsureCollectionAsync("v", dims, quantization);
        await store.UpsertAsync("v", vectors.Select((v, i) => new VectorRecord($"청크-{i}", v, $"doc-{i % 10}")).ToList());
        var query = Unit(random, dims);

        var matches = await store.SearchAsync("v", query, 10);

        var expected = vectors.Select((v, i) => (Key: $"청크-{i}", Score: Dot(v, query))).OrderByDescending(x => x.Score).Take(10).ToList();
        Assert.Equal(10, matches.Count);
        if (quantization == VectorQuantization.None)
        {
            Assert.Equal(expected.Select(e => e.Key), matches.Select(m => m.Key));
            Assert.Equal(expected[0].Score, matches[0].Score, 4);
        }
        else
        {
            // int8 keeps the best match and scores within 0.02 of exact on unit vectors.
            Assert.Equal(expected[0].Key, matches[0].Key);
            Assert.All(matches, m => Assert.Equal(Dot(vectors[int.Parse(m.Key["청크-".Length..], System.Globalization.CultureInfo.InvariantCulture)], query), m.Score, 0.02f));
        }

        Assert.Equal(matches.Select(m => m.Score).OrderDescending(), matches.Select(m => m.Score));
        Assert.Equal($"doc-{int.Parse(matches[0].Key["청크-".Length..], System.Globalization.CultureInfo.InvariantCulture) % 10}", matches[0].Group);
    }

    [Fact]
    public async Task Top_k_over_a_collection_large_enough_to_scan_in_parallel_matches_brute_force()
    {
        var random = new Random(3);
        var vectors = Enumerable.Range(0, 70_000).Select(_ => Unit(random, 8)).ToList();
        await store.EnsureCollectionAsync("big", 8);
        await store.UpsertAsync("big", vectors.Select((v, i) => new VectorRecord(i.ToString(System.Globalization.CultureInfo.InvariantCulture), v)).ToList());
        var query = Unit(random, 8);

        var matches = await store.SearchAsync("big", query, 25);

        var expected = vectors.Select((v, i) => (Key: i.ToString(System.Globalization.CultureInfo.InvariantCulture), Score: Dot(v, query)))
            .OrderByDescending(x => x.Score).Take(25).Select(x => x.Key);
        Assert.Equal(expected, matches.Select(m => m.Key));
    }

    [Fact]
    public async Task Writes_are_seen_by_the_next_search_and_a_group_is_deleted_together()
    {
        await store.EnsureCollectionAsync("v", 2);
        await store.UpsertAsync("v", [new("a", new float[] { 1, 0 }, "doc1"), new("b", new float[] { 0, 1 }, "doc2")]);
        Assert.Equal("a", (await store.SearchAsync("v", new float[] { 1, 0 }, 1))[0].Key);

        await store.UpsertAsync("v", [new("a", new float[] { -1, 0 }, "doc1")]);
        Assert.Equal("b", (await store.SearchAsync("v", new float[] { 1, 0.1f }, 1))[0].Key);

        Assert.Equal(1, await store.DeleteGroupAsync("v", "doc1"));
        Assert.Equal(["b"], (await store.SearchAsync("v", new float[] { -1, 0 }, 5)).Select(m => m.Key));
        Assert.Equal(1, await store.CountAsync("v"));
    }

    [Fact]
    public async Task Vectors_survive_reopening_the_database()
    {
        await store.EnsureCollectionAsync("v", 3, VectorQuantization.Int8);
        await store.UpsertAsync("v", [new("x", new float[] { 0.6f, 0.8f, 0 })]);
        temporary.CloseAll();

        var reopened = new VectorStoreFactory(temporary.Database, temporary.Time).For("rag-chatbot");
        var match = (await reopened.SearchAsync("v", new float[] { 0.6f, 0.8f, 0 }, 1)).Single();

        Assert.Equal("x", match.Key);
        Assert.Equal(1f, match.Score, 0.01f);
    }

    [Fact]
    public async Task Another_plugin_sees_none_of_the_vectors_and_a_purge_removes_only_its_own()
    {
        await store.EnsureCollectionAsync("v", 2);
        await store.UpsertAsync("v", [new("a", new float[] { 1, 0 })]);
        var other = factory.For("analysis");
        await other.EnsureCollectionAsync("v", 2);
        await other.UpsertAsync("v", [new("mine", new float[] { 1, 0 })]);

        Assert.Equal(["mine"], (await other.SearchAsync("v", new float[] { 1, 0 }, 5)).Select(m => m.Key));
        Assert.Equal(1, await factory.DeleteAllAsync("rag-chatbot"));
        Assert.Empty(await store.ListCollectionsAsync());
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await store.SearchAsync("v", new float[] { 1, 0 }, 5));
        Assert.Single(await other.SearchAsync("v", new float[] { 1, 0 }, 5));
    }

    [Fact]
    public async Task Bad_vectors_are_refused_with_a_clear_error_and_nothing_is_written()
    {
        await store.EnsureCollectionAsync("v", 3);
        await store.UpsertAsync("v", [new("keep", new float[] { 1, 0, 0 })]);

        var wrongLength = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await store.UpsertAsync("v", [new("ok", new float[] { 0, 1, 0 }), new("short", new float[] { 1, 0 })]));
        var notFinite = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await store.UpsertAsync("v", [new("nan", new[] { float.NaN, 0, 0 })]));
        var otherShape = await Assert.ThrowsAsync<ArgumentException>(async () => await store.EnsureCollectionAsync("v", 4));
        var badQuery = await Assert.ThrowsAsync<ArgumentException>(async () => await store.SearchAsync("v", new float[] { 1 }, 1));
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await store.UpsertAsync("none", [new("k", new float[] { 1, 0, 0 })]));

        Assert.Contains("'short' has 2 dimensions; the collection has 3", wrongLength.Message, StringComparison.Ordinal);
        Assert.Contains("non-finite", notFinite.Message, StringComparison.Ordinal);
        Assert.Contains("3 dimensions", otherShape.Message, StringComparison.Ordinal);
        Assert.Contains("query vector has 1 dimensions", badQuery.Message, StringComparison.Ordinal);
        Assert.Equal(1, await store.CountAsync("v"));
    }

    private static float[] Unit(Random random, int dims)
    {
        var v = Enumerable.Range(0, dims).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
