namespace Nlps.Models.Engines.Remote;

/// <summary>
/// Closed → open after <c>threshold</c> failures in a row; open refuses calls for <c>openDuration</c> on the injected
/// clock; then half-open lets one trial call through, whose success closes it and whose failure opens it again.
/// </summary>
public sealed class CircuitBreaker(int threshold, TimeSpan openDuration, TimeProvider timeProvider)
{
    private readonly Lock _gate = new();
    private int _failures;
    private DateTimeOffset _openUntil;
    private bool _open;
    private bool _trialInFlight;

    /// <summary>Why it opened (the last failure), or empty.</summary>
    public string LastFailure { get; private set; } = string.Empty;

    public CircuitState State
    {
        get
        {
            lock (_gate)
            {
                return !_open ? CircuitState.Closed : timeProvider.GetUtcNow() < _openUntil ? CircuitState.Open : CircuitState.HalfOpen;
            }
        }
    }

    /// <summary>True when a call may go out; false with the time left open. In half-open, only one trial at a time passes.</summary>
    public bool TryEnter(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            retryAfter = TimeSpan.Zero;
            if (!_open)
            {
                return true;
            }

            TimeSpan left = _openUntil - timeProvider.GetUtcNow();
            if (left > TimeSpan.Zero || _trialInFlight)
            {
                retryAfter = left > TimeSpan.Zero ? left : openDuration;
                return false;
            }

            _trialInFlight = true;
            return true;
        }
    }

    /// <summary>The endpoint answered: the circuit closes.</summary>
    public void RecordSuccess()
    {
        lock (_gate)
        {
            _failures = 0;
            _open = false;
            _trialInFlight = false;
            LastFailure = string.Empty;
        }
    }

    /// <summary>A call that passed ended without telling anything about the endpoint (the caller cancelled).</summary>
    public void RecordNeutral()
    {
        lock (_gate)
        {
            _trialInFlight = false;
        }
    }

    /// <summary>The endpoint failed; at the threshold (or on a failed trial) the circuit opens.</summary>
    public void RecordFailure(string reason)
    {
        lock (_gate)
        {
            _failures++;
            LastFailure = reason;
            if (_trialInFlight || _failures >= threshold)
            {
                _open = true;
                _trialInFlight = false;
                _openUntil = timeProvider.GetUtcNow() + openDuration;
            }
        }
    }
}
