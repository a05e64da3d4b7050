using Nlps.Inference.Engine;

namespace Nlps.Inference.Tests.Engine;

public sealed class StopStringFilterTests
{
    [Fact]
    public void Text_that_may_start_a_stop_string_is_held_until_it_cannot()
    {
        var filter = new StopStringFilter(["</end>"]);

        Assert.Equal(("abc", false), filter.Push("abc</"));
        Assert.Equal(("</x", false), filter.Push("x"));
        Assert.Equal(("y", false), filter.Push("y</en"));
        Assert.Equal(("", true), filter.Push("d>tail"));
    }

    [Fact]
    public void The_earliest_of_several_stop_strings_wins_and_flush_releases_the_rest()
    {
        var filter = new StopStringFilter(["bb", "ab"]);

        Assert.Equal(("x", true), filter.Push("xabb"));
        var open = new StopStringFilter(["zz"]);
        Assert.Equal(("q", false), open.Push("qz"));
        Assert.Equal("z", open.Flush());
    }
}
