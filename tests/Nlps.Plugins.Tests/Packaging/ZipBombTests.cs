using Nlps.Plugins.Packaging;

namespace Nlps.Plugins.Tests.Packaging;

public sealed class ZipBombTests(ZipBombFixture fixture) : IClassFixture<ZipBombFixture>
{
    [Fact]
    public async Task Bomb_is_stopped_while_inflating_when_the_total_passes_the_uncompressed_limit()
    {
        var bed = fixture.Bed;
        Assert.True(new FileInfo(fixture.BombPath).Length < 16 * 1024 * 1024, $"the bomb should be small on disk, not {new FileInfo(fixture.BombPath).Length} bytes");
        var options = new PackageVerificationOptions
        {
            TrustedKeys = bed.TrustedKeys,
            MaxUncompressedBytes = 64L * 1024 * 1024,
            MaxFileBytes = ZipBombFixture.BombBytes,
            MaxCompressionRatio = int.MaxValue,
        };

        await bed.AssertRejectedAsync(fixture.BombPath, PackageRejectionCodes.TooLarge, "more than 67108864 bytes in total", options);
    }

    [Fact]
    public async Task Bomb_is_stopped_by_the_compression_ratio_limit_under_default_limits()
    {
        var bed = fixture.Bed;

        await bed.AssertRejectedAsync(fixture.BombPath, PackageRejectionCodes.TooLarge, "compression ratio limit", bed.Options());
    }
}
