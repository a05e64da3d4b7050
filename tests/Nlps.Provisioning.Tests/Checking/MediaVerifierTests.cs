using Nlps.Provisioning.Media;
using Nlps.Provisioning.Tests.Support;
using Nlps.Testing;

namespace Nlps.Provisioning.Tests.Checking;

public sealed class MediaVerifierTests
{
    [Fact]
    public async Task Every_bad_file_is_named_not_just_the_first()
    {
        using var media = new TempFolder("nlps-media-");
        Directory.CreateDirectory(media.Combine("data"));
        await File.WriteAllTextAsync(media.Combine("data", "good.tsv"), "관세\tcustoms duty\n");
        await File.WriteAllTextAsync(media.Combine("data", "changed.tsv"), "통관\tclearance\n");
        await ExampleMedia.WriteChecksumsAsync(media.Path);
        await File.AppendAllTextAsync(media.Combine("data", "changed.tsv"), "extra\tline\n");
        await File.WriteAllTextAsync(media.Combine("data", "late.tsv"), "added after SHA256SUMS\n");
        var verifier = new MediaVerifier(media.Path, await MediaChecksums.ReadAsync(media.Path, CancellationToken.None));
        long reported = 0;

        var (files, problems) = await verifier.VerifyAsync(
            ["data/good.tsv", "data/changed.tsv", "data/late.tsv", "data/absent.tsv"], new SynchronousProgress<long>(done => reported = done), CancellationToken.None);

        Assert.Equal(["data/good.tsv"], files.Select(f => f.Path));
        Assert.Equal(
            [("checksum_mismatch", "data/changed.tsv"), ("checksum_unlisted", "data/late.tsv"), ("file_missing", "data/absent.tsv")],
            problems.Select(p => (p.Code, p.Subject)));
        Assert.Equal(verifier.TotalBytes(["data/good.tsv", "data/changed.tsv"]), reported);
    }

    [Fact]
    public async Task Media_without_checksums_is_refused()
    {
        using var media = new TempFolder("nlps-media-");

        var error = await Assert.ThrowsAsync<MediaException>(() => MediaChecksums.ReadAsync(media.Path, CancellationToken.None));

        Assert.Equal("checksums_missing", error.Code);
    }
}
