namespace Nlps.Inference.Engine;

/// <summary>
/// Holds back streamed text that might be the start of a stop string, releases it once it cannot be, and reports
/// when a stop string is complete (returning only the text before it).
/// </summary>
internal sealed class StopStringFilter(IReadOnlyList<string> stopStrings)
{
    private string _pending = string.Empty;

    /// <summary>Adds <paramref name="text"/>; returns what may be emitted, and whether a stop string ended the output.</summary>
    public (string Emit, bool Stopped) Push(string text)
    {
        if (stopStrings.Count == 0)
        {
            return (text, false);
        }

        _pending += text;
        int stopAt = -1;
        foreach (string stop in stopStrings)
        {
            int at = _pending.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (stopAt < 0 || at < stopAt))
            {
                stopAt = at;
            }
        }

        if (stopAt >= 0)
        {
            string before = _pending[..stopAt];
            _pending = string.Empty;
            return (before, true);
        }

        int keep = 0;
        foreach (string stop in stopStrings)
        {
            for (int length = Math.Min(stop.Length - 1, _pending.Length); length > keep; length--)
            {
                if (_pending.EndsWith(stop[..length], StringComparison.Ordinal))
                {
                    keep = length;
                    break;
                }
            }
        }

        string emit = _pending[..^keep];
        _pending = _pending[^keep..];
        return (emit, false);
    }

    /// <summary>Releases whatever is still held back (the output ended without completing a stop string).</summary>
    public string Flush()
    {
        string rest = _pending;
        _pending = string.Empty;
        return rest;
    }
}
