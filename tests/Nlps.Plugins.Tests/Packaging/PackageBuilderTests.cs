using System.IO.Compression;
using Nlps.Plugins.Packaging;
using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Tests.Packaging;

public sealed class PackageBuilderTests
{
    [Fact]
    public async Task Building_the_same_folder_twice_gives_identical_bytes()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var first = bed.PathFor("first.nlpkg");
        var second = bed.PathFor("second.nlpkg");

        var built = await new PackageBuilder().BuildAsync(bed.PublishFolder, SamplePlugin.Manifest(), first);
        File.SetLastWriteTimeUtc(Path.Combine(bed.PublishFolder, SamplePlugin.EntryAssembly), new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        await new PackageBuilder().BuildAsync(bed.PublishFolder, SamplePlugin.Manifest(), second);

        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(first))), built.PackageSha256);
    }

    [Fact]
    public async Task Entries_are_sorted_by_path_with_a_fixed_timestamp_and_files_json_lists_all_but_itself_and_the_signature()
    {
        using var bed = await PackageTestBed.CreateAsync();

        using var archive = ZipFile.OpenRead(bed.SignedPackage);
        var names = archive.Entries.Select(e => e.FullName).ToList();
        var listing = PackageFileList.Parse(PackageEntries.Read(bed.SignedPackage)[PackageLayout.FileListPath]);

        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.All(archive.Entries, e => Assert.Equal(new DateTime(2000, 1, 1), e.LastWriteTime.DateTime));
        Assert.Equal(names.Where(n => n is not (PackageLayout.FileListPath or PackageLayout.SignaturePath)), listing.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task Builder_refuses_a_manifest_whose_entry_assembly_is_not_in_the_folder()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var output = bed.PathFor("missing-entry.nlpkg");
        var manifest = SamplePlugin.Manifest() with { EntryAssembly = "Acme.Missing.dll" };

        var error = await Assert.ThrowsAsync<PackageBuildException>(() => new PackageBuilder(bed.Signer).BuildAsync(bed.PublishFolder, manifest, output));

        Assert.Contains("Acme.Missing.dll", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Builder_refuses_an_invalid_manifest()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var manifest = SamplePlugin.Manifest() with { Id = "../x" };

        await Assert.ThrowsAsync<InvalidManifestException>(() => new PackageBuilder().BuildAsync(bed.PublishFolder, manifest, bed.PathFor("bad.nlpkg")));
    }

    [Fact]
    public async Task Builder_refuses_a_symbolic_link_in_the_publish_folder()
    {
        using var bed = await PackageTestBed.CreateAsync();
        File.CreateSymbolicLink(Path.Combine(bed.PublishFolder, "passwd"), "/etc/passwd");

        var error = await Assert.ThrowsAsync<PackageBuildException>(() => new PackageBuilder().BuildAsync(bed.PublishFolder, SamplePlugin.Manifest(), bed.PathFor("link.nlpkg")));

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Builder_replaces_an_existing_package_and_leaves_no_temporary_file()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var output = bed.Temp.Combine("out", "acme.nlpkg");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, "an older package");

        await new PackageBuilder(bed.Signer).BuildAsync(bed.PublishFolder, SamplePlugin.Manifest(), output);

        Assert.Equal([output], Directory.GetFiles(Path.GetDirectoryName(output)!));
        var verified = await bed.VerifyAsync(output);
        Assert.Equal("acme.translator", verified.Manifest.Id);
    }

    [Fact]
    public async Task Builder_refuses_to_write_the_package_inside_the_folder_it_packs()
    {
        using var bed = await PackageTestBed.CreateAsync();

        await Assert.ThrowsAsync<PackageBuildException>(() => new PackageBuilder().BuildAsync(bed.PublishFolder, SamplePlugin.Manifest(), Path.Combine(bed.PublishFolder, "self.nlpkg")));
    }
}
