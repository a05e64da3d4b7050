using System.Text;
using Nlps.Plugins.Packaging;
using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Tests.Packaging;

/// <summary>One bad package per rejection code: each is refused with its code, a message naming the problem, and an empty staging root.</summary>
public sealed class PackageRejectionTests
{
    private const string EntryAssemblyPath = "lib/" + SamplePlugin.EntryAssembly;

    [Fact]
    public async Task Garbage_bytes_are_rejected_as_not_a_zip()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var garbage = bed.PathFor("garbage.nlpkg");
        await File.WriteAllBytesAsync(garbage, Enumerable.Range(0, 10_000).Select(i => (byte)(i * 31)).ToArray());

        await bed.AssertRejectedAsync(garbage, PackageRejectionCodes.NotAZip, "not a valid .nlpkg (zip) archive");
    }

    [Theory]
    [InlineData("../evil.dll", "'..' path segment")]
    [InlineData("lib/../../evil.dll", "'..' path segment")]
    [InlineData("/etc/x", "absolute path")]
    [InlineData("lib\\evil.dll", "backslash")]
    [InlineData("C:/evil.dll", "drive letter")]
    [InlineData("lib//evil.dll", "empty path segment")]
    [InlineData("lib/./evil.dll", "'.' path segment")]
    [InlineData("lib/folder/", "directory entry")]
    [InlineData("README.md", "outside 'lib/'")]
    public async Task Entry_with_an_unsafe_name_is_rejected(string name, string problem)
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("bad-name.nlpkg");
        PackageEntries.Read(bed.SignedPackage).Set(name, "payload").RelistAndSign(bed.Signer).Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.EntryPathInvalid, problem);
    }

    [Fact]
    public async Task Duplicate_entry_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("duplicate.nlpkg");
        PackageEntries.Read(bed.SignedPackage).Append(EntryAssemblyPath, "MZ second copy"u8.ToArray()).Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.EntryPathInvalid, "appears twice");
    }

    [Fact]
    public async Task Entries_that_differ_only_by_case_are_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("case.nlpkg");
        PackageEntries.Read(bed.SignedPackage).Set("lib/" + SamplePlugin.EntryAssembly.ToUpperInvariant(), "MZ shadow").RelistAndSign(bed.Signer).Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.EntryPathInvalid, "differ only by case");
    }

    [Fact]
    public async Task Entry_that_is_both_a_file_and_a_folder_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("file-and-folder.nlpkg");
        PackageEntries.Read(bed.SignedPackage).Set(EntryAssemblyPath + "/inner.dll", "MZ").RelistAndSign(bed.Signer).Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.EntryPathInvalid, "both a file and the folder");
    }

    [Fact]
    public async Task Symbolic_link_entry_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("symlink.nlpkg");
        PackageEntries.Read(bed.SignedPackage)
            .Set("lib/passwd", Encoding.ASCII.GetBytes("/etc/passwd"), PackageEntries.SymlinkAttributes)
            .RelistAndSign(bed.Signer)
            .Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.EntrySymlink, "'lib/passwd' is a symbolic link");
    }

    [Fact]
    public async Task Package_file_over_the_size_limit_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var options = new PackageVerificationOptions { TrustedKeys = bed.TrustedKeys, MaxPackageBytes = 1024 };

        await bed.AssertRejectedAsync(bed.SignedPackage, PackageRejectionCodes.TooLarge, "package file is", options);
    }

    [Fact]
    public async Task One_file_over_the_file_size_limit_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var options = new PackageVerificationOptions { TrustedKeys = bed.TrustedKeys, MaxFileBytes = 4000 };

        await bed.AssertRejectedAsync(bed.SignedPackage, PackageRejectionCodes.TooLarge, "'lib/Acme.Translator.dll' inflates to more than 4000 bytes", options);
    }

    [Fact]
    public async Task Too_many_entries_are_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var options = new PackageVerificationOptions { TrustedKeys = bed.TrustedKeys, MaxFileCount = 3 };

        await bed.AssertRejectedAsync(bed.SignedPackage, PackageRejectionCodes.TooLarge, "over the limit of 3", options);
    }

    [Fact]
    public async Task Missing_files_json_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("no-listing.nlpkg");
        PackageEntries.Read(bed.SignedPackage).Remove(PackageLayout.FileListPath).Sign(null).Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.ListingInvalid, "no files.json", bed.Options(allowUnsigned: true));
    }

    [Fact]
    public async Task Malformed_files_json_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("bad-listing.nlpkg");
        PackageEntries.Read(bed.SignedPackage).Set(PackageLayout.FileListPath, """{"files":[{"path":"plugin.json"}]}""").Sign(bed.Signer).Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.ListingInvalid, "files.json is not valid");
    }

    [Fact]
    public async Task Missing_plugin_json_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("no-manifest.nlpkg");
        PackageEntries.Read(bed.SignedPackage).Remove(PackageLayout.ManifestPath).RelistAndSign(bed.Signer).Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.ManifestMissing, "no plugin.json");
    }

    [Fact]
    public async Task Plugin_json_that_is_not_json_is_rejected_with_the_parser_message()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("malformed-manifest.nlpkg");
        PackageEntries.Read(bed.SignedPackage).Set(PackageLayout.ManifestPath, """{"id": "acme.translator", "version": """).RelistAndSign(bed.Signer).Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.ManifestInvalid, "plugin.json is not valid");
    }

    [Theory]
    [InlineData("../x", "1.0.0", "id '../x' is not valid")]
    [InlineData("acme.translator", "1.0", "version '1.0' is not a SemVer 2 version")]
    public async Task Plugin_json_with_an_invalid_field_is_rejected_naming_the_field(string id, string version, string problem)
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("invalid-manifest.nlpkg");
        var manifest = $$"""{"id":"{{id}}","version":"{{version}}","sdkVersion":"1.0.0","entryAssembly":"{{SamplePlugin.EntryAssembly}}","entryType":"Acme.Translator.TranslatorAgent"}""";
        PackageEntries.Read(bed.SignedPackage).Set(PackageLayout.ManifestPath, manifest).RelistAndSign(bed.Signer).Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.ManifestInvalid, problem);
    }

    [Fact]
    public async Task Lib_file_changed_after_signing_is_rejected_as_a_hash_mismatch()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var tampered = bed.PathFor("tampered.nlpkg");
        var entries = PackageEntries.Read(bed.SignedPackage);
        var evil = entries[EntryAssemblyPath].ToArray();
        evil[^1] ^= 0x01;
        entries.Set(EntryAssemblyPath, evil).Write(tampered);

        await bed.AssertRejectedAsync(tampered, PackageRejectionCodes.HashMismatch, "'lib/Acme.Translator.dll' does not match files.json");
    }

    [Fact]
    public async Task Entry_not_listed_in_files_json_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("unlisted.nlpkg");
        PackageEntries.Read(bed.SignedPackage).Set("lib/Extra.dll", "MZ smuggled").Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.FileUnlisted, "'lib/Extra.dll' is in the package but not listed");
    }

    [Fact]
    public async Task Listed_file_absent_from_the_package_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("missing-file.nlpkg");
        PackageEntries.Read(bed.SignedPackage).Remove("lib/Acme.Glossary.dll").Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.FileMissing, "'lib/Acme.Glossary.dll' is listed in files.json but missing");
    }

    [Fact]
    public async Task Unsigned_package_is_rejected_unless_unsigned_packages_are_allowed()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var unsigned = bed.PathFor("unsigned.nlpkg");
        await new PackageBuilder().BuildAsync(bed.PublishFolder, SamplePlugin.Manifest(), unsigned);

        await bed.AssertRejectedAsync(unsigned, PackageRejectionCodes.SignatureMissing, "unsigned");
    }

    [Fact]
    public async Task Signature_made_by_another_key_under_the_trusted_key_id_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        using var impostor = PackageSigner.FromPrivateKeyPem(SigningKeyPair.Generate().PrivateKeyPem);
        var entries = PackageEntries.Read(bed.SignedPackage);
        var forged = impostor.SignFileList(entries[PackageLayout.FileListPath]) with { KeyId = bed.Signer.KeyId };
        var bad = bed.PathFor("forged.nlpkg");
        entries.Set(PackageLayout.SignaturePath, forged.Serialize()).Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.SignatureInvalid, "does not verify");
    }

    [Fact]
    public async Task Files_json_rewritten_after_signing_is_rejected_as_an_invalid_signature()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("relisted.nlpkg");
        PackageEntries.Read(bed.SignedPackage).Set(EntryAssemblyPath, "MZ replaced").Relist().Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.SignatureInvalid, "does not verify");
    }

    [Fact]
    public async Task Signature_with_another_algorithm_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var entries = PackageEntries.Read(bed.SignedPackage);
        var signature = PackageSignature.Parse(entries[PackageLayout.SignaturePath]) with { Algorithm = "RSA-PSS-SHA256" };
        var bad = bed.PathFor("other-algorithm.nlpkg");
        entries.Set(PackageLayout.SignaturePath, signature.Serialize()).Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.SignatureInvalid, "RSA-PSS-SHA256");
    }

    [Fact]
    public async Task Package_signed_by_a_key_outside_the_key_ring_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var stranger = SigningKeyPair.Generate();
        using var strangerSigner = PackageSigner.FromPrivateKeyPem(stranger.PrivateKeyPem);
        var bad = bed.PathFor("stranger.nlpkg");
        await new PackageBuilder(strangerSigner).BuildAsync(bed.PublishFolder, SamplePlugin.Manifest(), bad);

        var rejection = await bed.AssertRejectedAsync(bad, PackageRejectionCodes.KeyUntrusted, "not a trusted key");

        Assert.Contains(stranger.KeyId, rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_package_is_rejected_when_no_key_is_trusted_even_if_unsigned_packages_are_allowed()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var options = new PackageVerificationOptions { AllowUnsigned = true };

        await bed.AssertRejectedAsync(bed.SignedPackage, PackageRejectionCodes.KeyUntrusted, "not a trusted key", options);
    }

    [Fact]
    public async Task Plugin_built_against_a_newer_sdk_major_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync(SamplePlugin.Manifest(sdkVersion: "2.0.0"));
        var options = new PackageVerificationOptions { TrustedKeys = bed.TrustedKeys, HostSdkVersion = SemanticVersion.Parse("1.3.0") };

        await bed.AssertRejectedAsync(bed.SignedPackage, PackageRejectionCodes.SdkIncompatible, "plugin needs SDK 2.0.0 (major 2)", options);
    }

    [Fact]
    public async Task Plugin_built_against_a_newer_sdk_minor_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync(SamplePlugin.Manifest(sdkVersion: "1.4.0"));
        var options = new PackageVerificationOptions { TrustedKeys = bed.TrustedKeys, HostSdkVersion = SemanticVersion.Parse("1.3.0") };

        await bed.AssertRejectedAsync(bed.SignedPackage, PackageRejectionCodes.SdkIncompatible, "upgrade the appliance", options);
    }

    [Fact]
    public async Task Manifest_naming_an_entry_assembly_the_package_lacks_is_rejected()
    {
        using var bed = await PackageTestBed.CreateAsync();
        var bad = bed.PathFor("no-entry.nlpkg");
        var manifest = ManifestJson.Serialize(SamplePlugin.Manifest() with { EntryAssembly = "Acme.Missing.dll" });
        PackageEntries.Read(bed.SignedPackage).Set(PackageLayout.ManifestPath, manifest).RelistAndSign(bed.Signer).Write(bad);

        await bed.AssertRejectedAsync(bad, PackageRejectionCodes.EntryAssemblyMissing, "'Acme.Missing.dll' is not in the package");
    }
}
