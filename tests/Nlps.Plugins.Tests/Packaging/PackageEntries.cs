using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Nlps.Plugins.Packaging;

namespace Nlps.Plugins.Tests.Packaging;

/// <summary>
/// A package as an ordered list of raw zip entries, to craft bad packages with <see cref="ZipArchive"/> directly:
/// read a good one, change entries, write it back (optionally re-listing and re-signing it).
/// </summary>
internal sealed class PackageEntries
{
    public const int SymlinkAttributes = (0xA000 | 0x1FF) << 16;

    private readonly List<(string Name, byte[] Content, int Attributes)> entries = [];

    public static PackageEntries Read(string packagePath)
    {
        var result = new PackageEntries();
        using var archive = ZipFile.OpenRead(packagePath);
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            result.entries.Add((entry.FullName, buffer.ToArray(), entry.ExternalAttributes));
        }

        return result;
    }

    public byte[] this[string name] => entries.Single(e => e.Name == name).Content;

    public PackageEntries Set(string name, byte[] content, int attributes = 0)
    {
        var index = entries.FindIndex(e => e.Name == name);
        if (index >= 0)
        {
            entries[index] = (name, content, attributes);
        }
        else
        {
            entries.Add((name, content, attributes));
        }

        return this;
    }

    public PackageEntries Set(string name, string content) => Set(name, Encoding.UTF8.GetBytes(content));

    /// <summary>Adds an entry even when one of that name exists (for duplicate-entry packages).</summary>
    public PackageEntries Append(string name, byte[] content, int attributes = 0)
    {
        entries.Add((name, content, attributes));
        return this;
    }

    public PackageEntries Remove(string name)
    {
        entries.RemoveAll(e => e.Name == name);
        return this;
    }

    /// <summary>Rewrites files.json to list every entry as it now is.</summary>
    public PackageEntries Relist()
    {
        var files = entries
            .Where(e => e.Name is not (PackageLayout.FileListPath or PackageLayout.SignaturePath))
            .Select(e => new PackageFileEntry { Path = e.Name, Size = e.Content.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(e.Content)) })
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        return Set(PackageLayout.FileListPath, new PackageFileList { Files = files }.Serialize());
    }

    /// <summary>Signs the current files.json (or removes the signature when <paramref name="signer"/> is null).</summary>
    public PackageEntries Sign(PackageSigner? signer) =>
        signer is null ? Remove(PackageLayout.SignaturePath) : Set(PackageLayout.SignaturePath, signer.SignFileList(this[PackageLayout.FileListPath]).Serialize());

    public PackageEntries RelistAndSign(PackageSigner? signer) => Relist().Sign(signer);

    public void Write(string packagePath)
    {
        using var archive = ZipFile.Open(packagePath, ZipArchiveMode.Create);
        foreach (var (name, content, attributes) in entries)
        {
            var entry = archive.CreateEntry(name, CompressionLevel.Fastest);
            entry.ExternalAttributes = attributes;
            using var stream = entry.Open();
            stream.Write(content);
        }
    }
}
