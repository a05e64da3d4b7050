using Nlps.Plugins.Packaging;
using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Tests.Packaging;

public sealed class PackageRoundTripTests
{
    [Fact]
    public async Task Signed_package_verifies_and_extracts_the_same_files_and_manifest()
    {
        using var bed = await PackageTestBed.CreateAsync();

        var verified = await bed.VerifyAsync(bed.SignedPackage);

        Assert.True(verified.IsSigned);
        Assert.Equal(bed.KeyPair.KeyId, verified.SignerKeyId);
        Assert.Equal(bed.Signer.KeyId, verified.SignerKeyId);
        Assert.Equal("번역기", verified.Manifest.Name);
        Assert.Equal(ManifestJson.Serialize(SamplePlugin.Manifest()), ManifestJson.Serialize(verified.Manifest));
        Assert.StartsWith(Path.GetFullPath(bed.StagingRoot) + Path.DirectorySeparatorChar, verified.ExtractedDirectory, StringComparison.Ordinal);
        foreach (var (relative, content) in SamplePlugin.Files)
        {
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(verified.ExtractedDirectory, "lib", relative)));
        }

        var extracted = Directory.EnumerateFiles(verified.ExtractedDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(verified.ExtractedDirectory, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);
        string[] expected = ["files.json", "lib/Acme.Glossary.dll", "lib/Acme.Translator.deps.json", "lib/Acme.Translator.dll", "lib/runtimes/linux-x64/native/libacme.so", "plugin.json", "signature.json"];
        Assert.Equal(expected, extracted);
        Assert.Equal(expected.Where(p => p is not ("files.json" or "signature.json")), verified.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task Package_sha256_is_the_hash_of_the_package_file()
    {
        using var bed = await PackageTestBed.CreateAsync();

        var verified = await bed.VerifyAsync(bed.SignedPackage);

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(bed.SignedPackage)));
        Assert.Equal(expected, verified.PackageSha256);
    }

    [Fact]
    public async Task Unsigned_package_passes_when_unsigned_packages_are_allowed()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var unsigned = bed.PathFor("unsigned.nlpkg");
        await new PackageBuilder().BuildAsync(bed.PublishFolder, SamplePlugin.Manifest(), unsigned);

        var verified = await bed.VerifyAsync(unsigned, bed.Options(allowUnsigned: true));

        Assert.False(verified.IsSigned);
        Assert.Null(verified.SignerKeyId);
        Assert.Equal("acme.translator", verified.Manifest.Id);
        Assert.False(File.Exists(Path.Combine(verified.ExtractedDirectory, PackageLayout.SignaturePath)));
    }

    [Fact]
    public async Task Each_verification_extracts_into_its_own_folder()
    {
        using var bed = await PackageTestBed.CreateAsync();

        var first = await bed.VerifyAsync(bed.SignedPackage);
        var second = await bed.VerifyAsync(bed.SignedPackage);

        Assert.NotEqual(first.ExtractedDirectory, second.ExtractedDirectory);
        Assert.Equal(2, Directory.EnumerateDirectories(bed.StagingRoot).Count());
    }

    [Fact]
    public async Task Cancelled_verification_throws_and_leaves_staging_empty()
    {
        using var bed = await PackageTestBed.CreateAsync();
        Directory.CreateDirectory(bed.StagingRoot);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.VerifyAsync(bed.SignedPackage, cancellationToken: new CancellationToken(canceled: true)));

        Assert.Empty(Directory.EnumerateFileSystemEntries(bed.StagingRoot));
    }

    [Fact]
    public async Task Reader_describes_a_package_without_extracting_it()
    {
        using var bed = await PackageTestBed.CreateAsync();

        var description = await PackageReader.ReadAsync(bed.SignedPackage);

        Assert.Equal("번역기", description.Manifest.Name);
        Assert.Equal("1.2.0", description.Manifest.Version);
        Assert.Equal(bed.KeyPair.KeyId, description.Signature?.KeyId);
        Assert.Equal(SamplePlugin.Files.Count + 1, description.Files.Count);
        Assert.Contains(description.Files, f => f.Path == "lib/Acme.Translator.dll" && f.Size == SamplePlugin.Files[SamplePlugin.EntryAssembly].Length);
        Assert.False(Directory.Exists(bed.StagingRoot));
    }

    [Fact]
    public async Task Reader_refuses_a_file_that_is_not_a_zip()
    {
        using var temp = new TempFolder();
        var garbage = temp.Combine("garbage.nlpkg");
        await File.WriteAllTextAsync(garbage, "this is not a zip archive");

        var rejection = await Assert.ThrowsAsync<PackageRejectedException>(() => PackageReader.ReadAsync(garbage));

        Assert.Equal(PackageRejectionCodes.NotAZip, rejection.Code);
    }
}
