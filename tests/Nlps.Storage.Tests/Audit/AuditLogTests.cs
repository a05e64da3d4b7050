using Nlps.Storage.Audit;
using Nlps.Storage.Tests.Support;

namespace Nlps.Storage.Tests.Audit;

public sealed class AuditLogTests : IDisposable
{
    private readonly TemporaryDatabase temporary = new();
    private readonly AuditLog audit;

    public AuditLogTests() => audit = new AuditLog(temporary.Database, temporary.Time);

    public void Dispose() => temporary.Dispose();

    [Fact]
    public async Task An_appended_entry_reads_back_with_its_id_time_and_every_field()
    {
        var id = await audit.AppendAsync(new AuditEntry("admin", "plugin.install", "ko-en-translator", AuditResult.Refused, "signature by unknown key 7f3a"));

        var record = Assert.Single(await audit.QueryAsync(10, beforeId: null, action: null));
        Assert.Equal(
            new AuditRecord(id, temporary.Time.GetUtcNow(), "admin", "plugin.install", "ko-en-translator", AuditResult.Refused, "signature by unknown key 7f3a"),
            record);
    }

    [Fact]
    public async Task Entries_without_target_or_detail_keep_them_null()
    {
        await audit.AppendAsync(new AuditEntry("system", "appliance.start", null, AuditResult.Ok, null));

        var record = Assert.Single(await audit.QueryAsync(10, null, null));
        Assert.Null(record.Target);
        Assert.Null(record.Detail);
        Assert.Equal(AuditResult.Ok, record.Result);
    }

    [Fact]
    public async Task Query_returns_the_newest_entries_first()
    {
        var ids = await AppendAsync(("a", AuditResult.Ok), ("b", AuditResult.Failed), ("c", AuditResult.Ok));

        var records = await audit.QueryAsync(10, null, null);

        Assert.Equal(Enumerable.Reverse(ids), records.Select(r => r.Id));
        Assert.Equal(["c", "b", "a"], records.Select(r => r.Action));
        Assert.True(records[0].At > records[2].At);
    }

    [Fact]
    public async Task Paging_with_before_id_walks_back_through_every_entry_once()
    {
        var ids = await AppendAsync(Enumerable.Range(1, 7).Select(i => ($"step{i}", AuditResult.Ok)).ToArray());

        var seen = new List<long>();
        long? before = null;
        while (true)
        {
            var page = await audit.QueryAsync(3, before, null);
            if (page.Count == 0)
            {
                break;
            }

            Assert.True(page.Count <= 3);
            seen.AddRange(page.Select(r => r.Id));
            before = page[^1].Id;
        }

        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Fact]
    public async Task Filtering_by_action_returns_only_that_action_and_still_pages()
    {
        await AppendAsync(("plugin.install", AuditResult.Ok), ("apikey.create", AuditResult.Ok), ("plugin.install", AuditResult.Failed), ("plugin.install", AuditResult.Ok));

        var first = await audit.QueryAsync(2, null, "plugin.install");
        var second = await audit.QueryAsync(2, first[^1].Id, "plugin.install");

        Assert.All(first.Concat(second), r => Assert.Equal("plugin.install", r.Action));
        Assert.Equal(2, first.Count);
        Assert.Single(second);
        Assert.Empty(await audit.QueryAsync(10, null, "plugin.INSTALL"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(AuditLog.MaxQueryLimit + 1)]
    public async Task A_limit_outside_one_to_the_maximum_is_refused(int limit)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => audit.QueryAsync(limit, null, null));
    }

    private async Task<long[]> AppendAsync(params (string Action, AuditResult Result)[] entries)
    {
        var ids = new List<long>();
        foreach (var (action, result) in entries)
        {
            ids.Add(await audit.AppendAsync(new AuditEntry("admin", action, null, result, null)));
            temporary.Time.Advance(TimeSpan.FromSeconds(1));
        }

        return [.. ids];
    }
}
