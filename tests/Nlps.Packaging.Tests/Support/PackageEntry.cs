namespace Nlps.Packaging.Tests.Support;

/// <summary>One line of <c>dpkg-deb --contents</c>: mode, owner, size and path (without the leading <c>./</c>).</summary>
public sealed record PackageEntry(string Mode, string Owner, string Group, long Size, string Path, string? LinkTarget)
{
    public bool IsDirectory => Mode[0] == 'd';

    public bool IsSymlink => Mode[0] == 'l';

    public bool IsFile => Mode[0] == '-';

    /// <summary>The nine permission characters, e.g. <c>rwxr-xr-x</c>.</summary>
    public string Permissions => Mode[1..];

    public static PackageEntry Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);

        // -rwxr-xr-x root/root     72568 2026-11-21 23:29 ./opt/nlps/nlpsd
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 6 || !fields[5].StartsWith("./", StringComparison.Ordinal))
        {
            throw new FormatException($"not a dpkg-deb --contents line: {line}");
        }

        var owner = fields[1].Split('/');
        var name = fields[5][2..];
        string? target = null;
        var arrow = name.IndexOf(" -> ", StringComparison.Ordinal);
        if (arrow >= 0)
        {
            target = name[(arrow + 4)..];
            name = name[..arrow];
        }

        return new PackageEntry(fields[0], owner[0], owner[1], long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), name.TrimEnd('/'), target);
    }
}
