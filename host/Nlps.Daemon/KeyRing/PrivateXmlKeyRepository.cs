using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Nlps.Daemon.KeyRing;

/// <summary>
/// The data-protection key ring as XML files in one folder that only nlpsd's user may enter (0700), each file readable
/// only by it (0600) from the moment it is created. Modes loosened by hand (or by a restore) are put back at start.
/// </summary>
internal sealed class PrivateXmlKeyRepository : IXmlRepository
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string folder;

    public PrivateXmlKeyRepository(string folder)
    {
        this.folder = folder;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        Directory.CreateDirectory(folder, FolderMode);
        File.SetUnixFileMode(folder, FolderMode);
        foreach (var file in Directory.EnumerateFiles(folder, "*.xml"))
        {
            OwnerOnlyFile.Tighten(file);
        }
    }

    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. Directory.EnumerateFiles(folder, "*.xml").Order(StringComparer.Ordinal).Select(file => XElement.Load(file))];

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var name = IsSafeName(friendlyName) ? friendlyName : Guid.NewGuid().ToString();
        OwnerOnlyFile.Create(Path.Combine(folder, name + ".xml"), element.Save);
    }

    private static bool IsSafeName(string name) =>
        !string.IsNullOrEmpty(name) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
