using System.IO.Compression;
using DocumentFormat.OpenXml.Packaging;

namespace Nlps.Agents.Translator.Documents;

/// <summary>What .docx and .xlsx share: they are zip packages, checked for their unpacked size before they are opened.</summary>
internal static class OfficePackage
{
    /// <summary>Refuses a package whose parts unpack to more than <paramref name="maxUnpackedBytes"/> (a zip bomb would otherwise be parsed whole).</summary>
    public static void CheckUnpackedSize(string name, byte[] content, long maxUnpackedBytes, string kind)
    {
        long unpacked;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            unpacked = zip.Entries.Sum(e => e.Length);
        }
        catch (InvalidDataException ex)
        {
            throw new DocumentFormatException($"{name}: not a readable {kind} ({ex.Message})");
        }

        if (unpacked > maxUnpackedBytes)
        {
            throw new DocumentTooLargeException($"{name}: its parts unpack to {unpacked} bytes; the limit is {maxUnpackedBytes}");
        }
    }

    /// <summary>
    /// Checks the unpacked size, then runs <paramref name="read"/> on the package; anything the Open XML SDK cannot read
    /// becomes a <see cref="DocumentFormatException"/> naming the file.
    /// </summary>
    public static T Read<T>(string name, byte[] content, long maxUnpackedBytes, string kind, Func<Stream, T> read)
    {
        CheckUnpackedSize(name, content, maxUnpackedBytes, kind);
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            return read(stream);
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            throw new DocumentFormatException($"{name}: not a readable {kind} ({ex.Message})");
        }
    }

    /// <summary>A copy of <paramref name="original"/> changed by <paramref name="edit"/>, which opens it editable and must close it before it returns.</summary>
    public static byte[] Edit(byte[] original, Action<Stream> edit)
    {
        using var stream = new MemoryStream();
        stream.Write(original);
        stream.Position = 0;
        edit(stream);
        return stream.ToArray();
    }

    /// <summary>True for the exceptions the Open XML SDK throws on a package it cannot read.</summary>
    public static bool IsUnreadable(Exception ex) =>
        ex is OpenXmlPackageException or InvalidDataException or FileFormatException or IOException or ArgumentException or InvalidOperationException or System.Xml.XmlException;
}
