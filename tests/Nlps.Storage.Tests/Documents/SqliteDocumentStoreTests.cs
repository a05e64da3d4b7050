using Nlps.Sdk.Storage;
using Nlps.Storage.Documents;
using Nlps.Storage.Tests.Support;

namespace Nlps.Storage.Tests.Documents;

public sealed class SqliteDocumentStoreTests : IDisposable
{
    private static readonly DocumentChunk[] Policy =
    [
        new("p1", "한국은행은 기준금리를 연 3.50%로 동결했다.", """{"page":1}"""),
        new("p2", "금융실명제는 1993년에 도입되었다."),
        new("p3", "예금자보호법에 따라 예금은 1인당 5천만 원까지 보호된다."),
    ];

    private readonly TemporaryDatabase temporary = new();
    private readonly DocumentStoreFactory factory;
    private readonly IDocumentStore store;

    public SqliteDocumentStoreTests()
    {
        factory = new DocumentStoreFactory(temporary.Database, temporary.Time);
        store = factory.For("rag-chatbot");
    }

    public void Dispose() => temporary.Dispose();

    [Theory]
    [InlineData(TextIndexing.CharacterBigrams)]
    [InlineData(TextIndexing.KoreanParticleStripping)]
    public async Task An_inflected_korean_query_finds_the_chunk_whose_noun_carries_another_particle(TextIndexing indexing)
    {
        await store.EnsureCollectionAsync("kb", indexing);
        await store.ReplaceDocumentAsync("kb", "policy.txt", Policy);

        // The document says 기준금리를 and 예금은; the query says 기준금리는 and 예금이.
        var rate = await store.SearchAsync("kb", "기준금리는 얼마인가", 3);
        var deposit = await store.SearchAsync("kb", "예금이 보호되는 한도", 3);

        Assert.Equal("p1", rate[0].Chunk.Id);
        Assert.Equal("""{"page":1}""", rate[0].Chunk.Metadata);
        Assert.Equal("policy.txt", rate[0].Chunk.DocumentId);
        Assert.Equal("p3", deposit[0].Chunk.Id);
        Assert.True(rate[0].Score > 0);
    }

    [Fact]
    public async Task Trigram_indexing_cannot_match_a_two_syllable_query_word()
    {
        await store.EnsureCollectionAsync("tri", TextIndexing.CharacterTrigrams);
        await store.ReplaceDocumentAsync("tri", "policy.txt", Policy);

        Assert.Empty(await store.SearchAsync("tri", "금리", 3));
        Assert.Equal("p2", (await store.SearchAsync("tri", "금융실명제란", 3))[0].Chunk.Id);
    }

    [Fact]
    public async Task Hits_are_ranked_by_bm25_with_more_shared_terms_first()
    {
        await store.EnsureCollectionAsync("kb");
        await store.ReplaceDocumentAsync("kb", "d", [
            new("a", "보험 약관 안내"),
            new("b", "보험 약관 해지 환급금 안내"),
            new("c", "여행 안내"),
        ]);

        var hits = await store.SearchAsync("kb", "보험 해지 환급금", 10);

        Assert.Equal(["b", "a"], hits.Select(h => h.Chunk.Id));
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public async Task Replacing_a_document_removes_its_old_chunks_from_search()
    {
        await store.EnsureCollectionAsync("kb");
        await store.ReplaceDocumentAsync("kb", "doc", [new("old", "구버전 환율 정책")]);
        await store.ReplaceDocumentAsync("kb", "doc", [new("new", "신버전 금리 정책")]);

        Assert.Empty(await store.SearchAsync("kb", "환율", 5));
        Assert.Equal("new", (await store.SearchAsync("kb", "정책", 5)).Single().Chunk.Id);
        Assert.Equal(1, await store.CountChunksAsync("kb"));
    }

    [Fact]
    public async Task Deleting_a_document_or_collection_removes_its_chunks_and_index_terms()
    {
        await store.EnsureCollectionAsync("kb");
        await store.ReplaceDocumentAsync("kb", "policy.txt", Policy);
        await store.ReplaceDocumentAsync("kb", "other.txt", [new("o1", "기준금리 전망 보고서")]);

        Assert.True(await store.DeleteDocumentAsync("kb", "policy.txt"));
        Assert.False(await store.DeleteDocumentAsync("kb", "policy.txt"));
        Assert.Equal("o1", (await store.SearchAsync("kb", "기준금리", 5)).Single().Chunk.Id);

        Assert.True(await store.DeleteCollectionAsync("kb"));
        Assert.Empty(await store.ListCollectionsAsync());
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await store.SearchAsync("kb", "기준금리", 5));

        // Recreated under the same name: nothing of the old collection comes back.
        await store.EnsureCollectionAsync("kb");
        Assert.Empty(await store.SearchAsync("kb", "기준금리", 5));
    }

    [Fact]
    public async Task Another_plugin_sees_none_of_the_collections_or_chunks()
    {
        await store.EnsureCollectionAsync("kb");
        await store.ReplaceDocumentAsync("kb", "policy.txt", Policy);
        var other = factory.For("analysis");
        await other.EnsureCollectionAsync("kb");

        Assert.Empty(await other.SearchAsync("kb", "기준금리", 5));
        Assert.Empty(await other.GetChunksAsync("kb", ["p1"]));
        Assert.Equal(["kb"], await other.ListCollectionsAsync());
        Assert.False(await other.DeleteDocumentAsync("kb", "policy.txt"));
        Assert.Single(await store.SearchAsync("kb", "기준금리", 5));
    }

    [Fact]
    public async Task Purging_a_plugin_removes_its_documents_and_leaves_others()
    {
        await store.EnsureCollectionAsync("kb");
        await store.ReplaceDocumentAsync("kb", "policy.txt", Policy);
        var other = factory.For("analysis");
        await other.EnsureCollectionAsync("kb");
        await other.ReplaceDocumentAsync("kb", "x", [new("x1", "기준금리 메모")]);

        Assert.Equal(3, await factory.DeleteAllAsync("rag-chatbot"));

        Assert.Empty(await store.ListCollectionsAsync());
        Assert.Single(await other.SearchAsync("kb", "기준금리", 5));
    }

    [Fact]
    public async Task Chunks_and_documents_read_back_in_order_after_reopening_the_database()
    {
        await store.EnsureCollectionAsync("kb");
        await store.ReplaceDocumentAsync("kb", "policy.txt", Policy);
        temporary.CloseAll();

        var reopened = new DocumentStoreFactory(temporary.Database, temporary.Time).For("rag-chatbot");

        Assert.Equal(["p1", "p2", "p3"], (await reopened.GetDocumentAsync("kb", "policy.txt")).Select(c => c.Id));
        Assert.Equal(["p3", "p1"], (await reopened.GetChunksAsync("kb", ["p3", "missing", "p1"])).Select(c => c.Id));
        Assert.Equal("p2", (await reopened.SearchAsync("kb", "실명제", 1))[0].Chunk.Id);
    }

    [Fact]
    public async Task Query_text_that_looks_like_fts5_syntax_is_searched_as_plain_text()
    {
        await store.EnsureCollectionAsync("kb");
        await store.ReplaceDocumentAsync("kb", "d", [new("q", "\"NEAR\" AND OR 금리 * ( ) ^ col:value")]);

        Assert.Equal("q", (await store.SearchAsync("kb", "\" NEAR( AND * col:value", 5)).Single().Chunk.Id);
        Assert.Empty(await store.SearchAsync("kb", "  ,.!?  ", 5));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_clear_error_and_nothing_is_written()
    {
        await store.EnsureCollectionAsync("kb");
        await store.ReplaceDocumentAsync("kb", "first", [new("c1", "첫 문서")]);

        var duplicate = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await store.ReplaceDocumentAsync("kb", "second", [new("c2", "둘째"), new("c2", "또")]));
        var taken = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await store.ReplaceDocumentAsync("kb", "second", [new("c3", "둘째"), new("c1", "남의 조각")]));
        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(async () =>
            await store.ReplaceDocumentAsync("nothing", "d", [new("c", "x")]));
        var otherIndexing = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await store.EnsureCollectionAsync("kb", TextIndexing.CharacterTrigrams));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.EnsureCollectionAsync(""));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.SearchAsync("kb", "x", 0));

        Assert.Contains("appears twice", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains("another document", taken.Message, StringComparison.Ordinal);
        Assert.Contains("'nothing' does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Contains("CharacterBigrams", otherIndexing.Message, StringComparison.Ordinal);
        Assert.Empty(await store.GetDocumentAsync("kb", "second"));
        Assert.Equal("c1", (await store.SearchAsync("kb", "문서", 5)).Single().Chunk.Id);
    }
}
