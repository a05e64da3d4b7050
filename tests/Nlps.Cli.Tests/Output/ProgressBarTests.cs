using Nlps.Cli.Output;

namespace Nlps.Cli.Tests.Output;

public sealed class ProgressBarTests
{
    [Fact]
    public void Counted_items_show_their_unit_and_the_rate_counts_from_the_first_value_seen()
    {
        // Following a job that was 40% done: 20 more items in 10 s is 2 items/s, and 40 left is 20 s.
        var bar = new ProgressBar("job", 100, TextWriter.Null, interactive: false, TimeProvider.System, "items");
        bar.Report(40);

        Assert.Equal("job [##################------------]  60.0% 60/100 items 2.0 items/s ETA 00:20", bar.Render(60, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Without_a_unit_amounts_are_bytes() =>
        Assert.Equal(
            "upload [###############---------------]  50.0% 1.0 MiB/2.0 MiB 512.0 KiB/s ETA 00:02",
            new ProgressBar("upload", 2L << 20, TextWriter.Null, interactive: false, TimeProvider.System).Render(1L << 20, TimeSpan.FromSeconds(2)));
}
