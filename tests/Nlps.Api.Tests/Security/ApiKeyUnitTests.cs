using System.Threading.RateLimiting;
using Nlps.Api.Security.ApiKeys;
using Nlps.Testing;

namespace Nlps.Api.Tests.Security;

public sealed class ApiKeyUnitTests
{
    [Fact]
    public void Generated_keys_parse_back_to_their_id_and_differ_each_time()
    {
        var (id, text) = ApiKeyText.Generate();
        var (_, other) = ApiKeyText.Generate();

        Assert.True(ApiKeyText.TryParse(text, out var parsed));
        Assert.Equal(id, parsed);
        Assert.NotEqual(text, other);
        Assert.Equal(ApiKeyText.Length, text.Length);
    }

    [Theory]
    [InlineData("nlps_admin_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("nlps_0123456789AB_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("nlps_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n")]
    [InlineData("nlps_0123456789ab-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("nlps_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("nlps_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("")]
    public void Text_that_is_not_a_key_does_not_parse(string text) =>
        Assert.False(ApiKeyText.TryParse(text, out _));

    [Theory]
    [InlineData("*", "any.agent", "op", true)]
    [InlineData("fin.translator/*", "fin.translator", "translate", true)]
    [InlineData("fin.translator/translate", "fin.translator", "translate", true)]
    [InlineData("fin.translator/translate", "fin.translator", "glossary", false)]
    [InlineData("fin.translator/*", "fin.translator2", "translate", false)]
    [InlineData("fin/*", "fin.translator", "translate", false)]
    [InlineData("metrics", "metrics", "x", false)]
    public void Scopes_match_agent_and_operation_exactly(string scope, string agent, string operation, bool allowed) =>
        Assert.Equal(allowed, ApiKeyScopes.Allows([scope], agent, operation));

    [Fact]
    public void The_bucket_allows_a_minute_at_once_then_refills_evenly_and_says_how_long_to_wait()
    {
        var time = new FakeTimeProvider();
        using var bucket = new KeyTokenBucket(60, time);
        for (var i = 0; i < 60; i++)
        {
            using var lease = bucket.AttemptAcquire();
            Assert.True(lease.IsAcquired);
        }

        using (var refused = bucket.AttemptAcquire())
        {
            Assert.False(refused.IsAcquired);
            Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var wait));
            Assert.Equal(TimeSpan.FromSeconds(1), wait);
        }

        Assert.Null(bucket.IdleDuration);
        time.Advance(TimeSpan.FromSeconds(1));
        using (var again = bucket.AttemptAcquire())
        {
            Assert.True(again.IsAcquired);
        }

        time.Advance(TimeSpan.FromSeconds(70));
        Assert.Equal(TimeSpan.FromSeconds(10), bucket.IdleDuration);
        Assert.Equal(60, bucket.GetStatistics()!.CurrentAvailablePermits);
    }
}
