using System.IO.Compression;
using Nlps.Plugins.Packaging;

namespace Nlps.Plugins.Tests.Packaging;

/// <summary>
/// A correctly signed package whose <c>lib/zeros.bin</c> is a 2 GiB run of zeros, deflated by streaming (at the optimal level, about 1000:1) to about 2 MB.
/// Its listing declares the true size, so only counting the inflated bytes can stop it. Built once for the class.
/// </summary>
public sealed class ZipBombFixture : IAsyncLifetime
{
    public const long BombBytes = 2L * 1024 * 1024 * 1024;

    private PackageTestBed? bed;

    internal PackageTestBed Bed => bed ?? throw new InvalidOperationException("The fixture is not initialised.");

    public string BombPath => Bed.PathFor("bomb.nlpkg");

    public async Task InitializeAsync()
    {
        bed = await PackageTestBed.CreateAsync();
        var good = PackageEntries.Read(bed.SignedPackage);
        var listing = PackageFileList.Parse(good[PackageLayout.FileListPath]);
        var files = listing.Files
            .Append(new PackageFileEntry { Path = "lib/zeros.bin", Size = BombBytes, Sha256 = new string('0', 64) })
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        var listingJson = new PackageFileList { Files = files }.Serialize();

        using var archive = ZipFile.Open(BombPath, ZipArchiveMode.Create);
        foreach (var file in listing.Files)
        {
            Write(archive, file.Path, good[file.Path]);
        }

        Write(archive, PackageLayout.FileListPath, listingJson);
        Write(archive, PackageLayout.SignaturePath, bed.Signer.SignFileList(listingJson).Serialize());
        using var bomb = archive.CreateEntry("lib/zeros.bin", CompressionLevel.Optimal).Open();
        var zeros = new byte[1024 * 1024];
        for (long written = 0; written < BombBytes; written += zeros.Length)
        {
            bomb.Write(zeros);
        }
    }

    public Task DisposeAsync()
    {
        bed?.Dispose();
        return Task.CompletedTask;
    }

    private static void Write(ZipArchive archive, string name, byte[] content)
    {
        using var stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(content);
    }
}
