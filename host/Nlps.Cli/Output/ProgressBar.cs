using System.Globalization;

namespace Nlps.Cli.Output;

/// <summary>
/// A one-line progress bar with rate and ETA on stderr, redrawn at most 10 times a second. When stderr is not a
/// terminal it prints nothing until it completes, then one summary line (so logs and CI output stay readable).
/// Amounts are bytes unless <paramref name="unit"/> names what is counted (e.g. <c>docs</c>). The rate counts from
/// the first value reported, so following a job that is already half done gives an honest rate and ETA.
/// </summary>
internal sealed class ProgressBar(string label, long total, TextWriter output, bool interactive, TimeProvider timeProvider, string? unit = null) : IProgress<long>
{
    private const int Width = 30;
    private readonly long started = timeProvider.GetTimestamp();
    private long lastDrawn = long.MinValue;
    private long? first;

    public static ProgressBar ForConsole(string label, long total, string? unit = null) =>
        new(label, total, Console.Error, !Console.IsErrorRedirected, TimeProvider.System, unit);

    public void Report(long value)
    {
        first ??= value;
        if (!interactive)
        {
            return;
        }

        var now = timeProvider.GetTimestamp();
        if (value < total && lastDrawn != long.MinValue && timeProvider.GetElapsedTime(lastDrawn, now) < TimeSpan.FromMilliseconds(100))
        {
            return;
        }

        lastDrawn = now;
        output.Write('\r' + Render(value, timeProvider.GetElapsedTime(started, now)));
    }

    public void Complete()
    {
        var line = Render(total, timeProvider.GetElapsedTime(started));
        output.WriteLine(interactive ? '\r' + line : line);
    }

    internal string Render(long value, TimeSpan elapsed)
    {
        var fraction = total <= 0 ? 1 : Math.Clamp((double)value / total, 0, 1);
        var filled = (int)Math.Round(fraction * Width);
        var rate = elapsed.TotalSeconds > 0 ? (value - (first ?? 0)) / elapsed.TotalSeconds : 0;
        var eta = rate > 0 && value < total ? TimeSpan.FromSeconds((total - value) / rate) : TimeSpan.Zero;
        var amounts = unit is null
            ? $"{Bytes(value)}/{Bytes(total)} {Bytes((long)rate)}/s"
            : string.Create(CultureInfo.InvariantCulture, $"{value}/{total} {unit} {rate:0.0} {unit}/s");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{label} [{new string('#', filled)}{new string('-', Width - filled)}] {fraction * 100,5:0.0}% {amounts} ETA {eta:mm\\:ss}");
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
