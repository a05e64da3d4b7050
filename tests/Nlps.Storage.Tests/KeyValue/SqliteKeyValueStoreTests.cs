using System.Text;
using Nlps.Sdk.Storage;
using Nlps.Storage.KeyValue;
using Nlps.Storage.Tests.Support;

namespace Nlps.Storage.Tests.KeyValue;

public sealed class SqliteKeyValueStoreTests : IDisposable
{
    private readonly TemporaryDatabase temporary = new();
    private readonly KeyValueStoreFactory factory;
    private readonly IKeyValueStore store;

    public SqliteKeyValueStoreTests()
    {
        factory = new KeyValueStoreFactory(temporary.Database, temporary.Time);
        store = factory.For("ko-en-translator");
    }

    public void Dispose() => temporary.Dispose();

    [Fact]
    public async Task A_korean_key_and_value_read_back_intact()
    {
        await store.SetStringAsync("용어집/금리", "interest rate — 기준금리 3.50%");

        Assert.Equal("interest rate — 기준금리 3.50%", await store.GetStringAsync("용어집/금리"));
    }

    [Fact]
    public async Task Binary_values_read_back_byte_for_byte_including_an_empty_one()
    {
        byte[] bytes = [0, 1, 2, 0xFF, 0xFE, 0];
        await store.SetAsync("blob", bytes);
        await store.SetAsync("empty", ReadOnlyMemory<byte>.Empty);
        await store.SetAsync("slice", bytes.AsMemory(1, 3));

        var blob = await store.GetAsync("blob");
        var empty = await store.GetAsync("empty");
        var slice = await store.GetAsync("slice");

        Assert.Equal(bytes, blob);
        Assert.Equal(new byte[] { }, empty);
        Assert.Equal(new byte[] { 1, 2, 0xFF }, slice);
    }

    [Fact]
    public async Task A_missing_key_reads_as_null()
    {
        Assert.Null(await store.GetAsync("never-written"));
    }

    [Fact]
    public async Task Setting_an_existing_key_replaces_its_value()
    {
        await store.SetStringAsync("model", "qwen2-7b");
        await store.SetStringAsync("model", "llama-3.1-8b");

        Assert.Equal("llama-3.1-8b", await store.GetStringAsync("model"));
        Assert.Equal(["model"], await ListAsync(store));
    }

    [Fact]
    public async Task Delete_removes_the_key_and_says_whether_it_existed()
    {
        await store.SetStringAsync("session/1", "x");

        Assert.True(await store.DeleteAsync("session/1"));
        Assert.False(await store.DeleteAsync("session/1"));
        Assert.Null(await store.GetAsync("session/1"));
    }

    [Fact]
    public async Task Listing_with_an_empty_prefix_returns_every_key_in_ordinal_order()
    {
        string[] keys = ["b", "a", "가", "A", "a/b", "_", "%", "한국"];
        await WithKeysAsync(keys);

        Assert.Equal(keys.Order(StringComparer.Ordinal), await ListAsync(store));
    }

    [Theory]
    [InlineData("%", new[] { "%", "%a", "%%" })]
    [InlineData("a%", new[] { "a%", "a%b" })]
    [InlineData("_", new[] { "_", "_x" })]
    [InlineData("a_", new[] { "a_", "a_b" })]
    [InlineData("용어", new[] { "용어", "용어집", "용어집/금리" })]
    [InlineData("용어집/", new[] { "용어집/금리" })]
    [InlineData("A", new string[0])]
    public async Task Listing_by_prefix_matches_percent_underscore_and_korean_literally(string prefix, string[] expected)
    {
        await WithKeysAsync("%", "%a", "%%", "a", "ab", "a%", "a%b", "a_", "a_b", "axb", "_", "_x", "x_", "용어", "용어집", "용어집/금리", "용", "요");

        Assert.Equal(expected.Order(StringComparer.Ordinal), await ListAsync(store, prefix));
    }

    [Fact]
    public async Task Listing_by_a_prefix_that_ends_in_the_last_code_point_still_matches_exactly()
    {
        await WithKeysAsync("a\U0010FFFF", "a\U0010FFFFz", "a\U0010FFFF\U0010FFFF", "a", "b");

        string[] expected = ["a\U0010FFFF", "a\U0010FFFF\U0010FFFF", "a\U0010FFFFz"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), (await ListAsync(store, "a\U0010FFFF")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Listing_by_a_prefix_made_only_of_the_last_code_point_has_no_upper_bound_and_still_matches_exactly()
    {
        await WithKeysAsync("\U0010FFFF", "\U0010FFFF!", "\uFFFF", "z");

        Assert.Equal(["\U0010FFFF", "\U0010FFFF!"], await ListAsync(store, "\U0010FFFF"));
    }

    [Fact]
    public async Task Listing_by_a_prefix_that_ends_just_below_the_surrogates_still_matches_exactly()
    {
        await WithKeysAsync("\uD7FF", "\uD7FFx", "\uE000", "\U00010000");

        Assert.Equal(["\uD7FF", "\uD7FFx"], await ListAsync(store, "\uD7FF"));
    }

    [Fact]
    public async Task Each_plugin_sees_only_its_own_keys()
    {
        var other = factory.For("rag-chat");
        await store.SetStringAsync("shared-name", "translator");
        await other.SetStringAsync("shared-name", "chat");
        await other.SetStringAsync("only-chat", "x");

        Assert.Equal("translator", await store.GetStringAsync("shared-name"));
        Assert.Equal("chat", await other.GetStringAsync("shared-name"));
        Assert.Null(await store.GetAsync("only-chat"));
        Assert.False(await store.DeleteAsync("only-chat"));
        Assert.Equal(["shared-name"], await ListAsync(store));
    }

    [Fact]
    public async Task Purging_a_plugin_deletes_all_its_keys_and_no_one_elses()
    {
        var other = factory.For("rag-chat");
        await store.SetStringAsync("a", "1");
        await store.SetStringAsync("b", "2");
        await other.SetStringAsync("a", "kept");

        Assert.Equal(2, await factory.DeleteAllAsync("ko-en-translator"));

        Assert.Empty(await ListAsync(store));
        Assert.Equal("kept", await other.GetStringAsync("a"));
    }

    [Fact]
    public async Task A_value_of_exactly_16_mib_is_stored()
    {
        var value = new byte[KeyValueLimits.MaxValueBytes];
        value[^1] = 42;

        await store.SetAsync("big", value);

        Assert.Equal(value, await store.GetAsync("big"));
    }

    [Fact]
    public async Task A_value_over_16_mib_is_refused_and_nothing_is_written()
    {
        await store.SetStringAsync("big", "previous");

        var refusal = await Assert.ThrowsAsync<ArgumentException>(
            async () => await store.SetAsync("big", new byte[KeyValueLimits.MaxValueBytes + 1]));
        await Assert.ThrowsAsync<ArgumentException>(
            async () => await store.SetAsync("new", new byte[KeyValueLimits.MaxValueBytes + 1]));

        Assert.Contains("16 MiB", refusal.Message, StringComparison.Ordinal);
        Assert.Equal("previous", await store.GetStringAsync("big"));
        Assert.Null(await store.GetAsync("new"));
    }

    [Fact]
    public async Task Keys_of_one_to_512_characters_are_accepted_and_longer_or_empty_ones_refused()
    {
        var longest = new string('키', KeyValueLimits.MaxKeyLength);
        var longestInSupplementaryCharacters = string.Concat(Enumerable.Repeat("😀", KeyValueLimits.MaxKeyLength));
        await store.SetStringAsync(longest, "ok");
        await store.SetStringAsync(longestInSupplementaryCharacters, "ok");
        await store.SetStringAsync("k", "ok");

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetStringAsync(longest + "x", "no"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetStringAsync("", "no"));
        Assert.Equal(3, (await ListAsync(store)).Count);
    }

    [Fact]
    public async Task Keys_that_sqlite_would_store_altered_are_refused()
    {
        // Built in code: attribute arguments cannot carry lone surrogates (they are stored as UTF-8).
        string[] keys = ["lone\uD800surrogate", "lone\uDC00low", "ends-high\uD83D", "nul\0inside"];
        foreach (var key in keys)
        {
            await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetStringAsync(key, "no"));
        }

        Assert.Empty(await ListAsync(store));
    }

    [Fact]
    public async Task Keys_and_values_survive_reopening_the_database()
    {
        await store.SetStringAsync("용어집/금리", "interest rate");
        temporary.CloseAll();

        using var reopened = temporary.Open();
        var again = new KeyValueStoreFactory(reopened, temporary.Time).For("ko-en-translator");

        Assert.Equal("interest rate", await again.GetStringAsync("용어집/금리"));
    }

    [Fact]
    public async Task Two_connections_writing_in_parallel_both_succeed()
    {
        // One writer holds the write lock in an open transaction while the other tries to write; busy_timeout makes the
        // second wait instead of failing. Whichever order the scheduler picks, both writes must land.
        var other = factory.For("rag-chat");
        Task secondWrite;
        using (var first = temporary.Database.OpenConnection())
        using (var transaction = first.BeginTransaction(deferred: false))
        {
            using (var insert = first.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO kv (plugin_id, key, value, updated_at) VALUES ('ko-en-translator', 'first', x'01', '2025-01-01T00:00:00.0000000Z')";
                insert.ExecuteNonQuery();
            }

            secondWrite = Task.Run(async () => await other.SetStringAsync("second", "2"));
            transaction.Commit();
        }

        await secondWrite;

        Assert.Equal([1], await store.GetAsync("first"));
        Assert.Equal("2", await other.GetStringAsync("second"));
    }

    [Fact]
    public async Task Many_writes_from_two_tasks_at_once_all_land()
    {
        var left = factory.For("left");
        var right = factory.For("right");

        await Task.WhenAll(
            Task.Run(() => WriteManyAsync(left)),
            Task.Run(() => WriteManyAsync(right)));

        Assert.Equal(100, (await ListAsync(left)).Count);
        Assert.Equal(100, (await ListAsync(right)).Count);

        static async Task WriteManyAsync(IKeyValueStore target)
        {
            for (var i = 0; i < 100; i++)
            {
                await target.SetAsync($"key/{i:D3}", Encoding.UTF8.GetBytes($"value {i}"));
            }
        }
    }

    private async Task WithKeysAsync(params string[] keys)
    {
        foreach (var key in keys)
        {
            await store.SetStringAsync(key, "v");
        }
    }

    private static async Task<List<string>> ListAsync(IKeyValueStore target, string prefix = "")
    {
        var keys = new List<string>();
        await foreach (var key in target.ListKeysAsync(prefix))
        {
            keys.Add(key);
        }

        return keys;
    }
}
