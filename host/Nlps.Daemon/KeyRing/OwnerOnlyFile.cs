namespace Nlps.Daemon.KeyRing;

/// <summary>Writes files only nlpsd's user may read (0600 from the moment they exist), whole or not at all.</summary>
internal static class OwnerOnlyFile
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="path"/> through a temporary file and a rename, so a reader never sees half of it; refuses to replace an existing file.</summary>
    public static void Create(string path, Action<Stream> write)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode;
        }

        using (var stream = new FileStream(temporary, options))
        {
            write(stream);
        }

        File.Move(temporary, path, overwrite: false);
    }

    /// <summary>Puts the owner-only mode back on an existing file (loosened by hand or by a restore).</summary>
    public static void Tighten(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, Mode);
        }
    }
}
