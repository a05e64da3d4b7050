using System.Threading.RateLimiting;

namespace Nlps.Api.Security.ApiKeys;

/// <summary>
/// One key's token bucket: holds up to a minute's requests and refills evenly, computed from
/// <see cref="TimeProvider"/> timestamps when asked (no timer), so tests can move time and the
/// <c>Retry-After</c> it reports is exact. No queueing: a request without a token is refused at once.
/// </summary>
public sealed class KeyTokenBucket : RateLimiter
{
    private readonly Lock gate = new();
    private readonly TimeProvider timeProvider;
    private readonly double capacity;
    private readonly double tokensPerSecond;
    private double tokens;
    private long updatedAt;
    private long fullSince;
    private long successful;
    private long failed;

    /// <summary>Creates a full bucket.</summary>
    /// <param name="requestsPerMinute">Capacity, and refill per minute.</param>
    /// <param name="timeProvider">The clock.</param>
    public KeyTokenBucket(int requestsPerMinute, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerMinute);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.timeProvider = timeProvider;
        capacity = requestsPerMinute;
        tokensPerSecond = requestsPerMinute / 60.0;
        tokens = capacity;
        updatedAt = timeProvider.GetTimestamp();
        fullSince = updatedAt;
    }

    /// <inheritdoc />
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (gate)
            {
                Refill();
                return tokens >= capacity ? timeProvider.GetElapsedTime(fullSince) : null;
            }
        }
    }

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (gate)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = (long)tokens,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = successful,
                TotalFailedLeases = failed,
            };
        }
    }

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        lock (gate)
        {
            Refill();
            if (tokens >= permitCount)
            {
                tokens -= permitCount;
                successful++;
                return Lease.Granted;
            }

            failed++;
            var wait = TimeSpan.FromSeconds(Math.Ceiling((permitCount - tokens) / tokensPerSecond));
            return new Lease(false, wait);
        }
    }

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var now = timeProvider.GetTimestamp();
        if (tokens < capacity)
        {
            var filled = tokens + (timeProvider.GetElapsedTime(updatedAt, now).TotalSeconds * tokensPerSecond);
            if (filled >= capacity)
            {
                // Full since the moment the last missing token arrived, not since now.
                fullSince = now - (long)((filled - capacity) / tokensPerSecond * timeProvider.TimestampFrequency);
                filled = capacity;
            }

            tokens = filled;
        }

        updatedAt = now;
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
