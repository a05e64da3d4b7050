namespace Nlps.Plugins.Packaging;

/// <summary>The rules every entry name of a package obeys, shared by the builder (never writes a bad one) and the
/// verifier (refuses one). Extraction relies on them to stay inside its folder (zip-slip).</summary>
internal static class PackageEntryPath
{
    /// <summary>Returns why <paramref name="name"/> is not an acceptable entry name, or null when it is.</summary>
    public static string? FindProblem(string name)
    {
        if (name.Length == 0)
        {
            return "has an empty name";
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return "uses a backslash; entry names use '/'";
        }

        if (name[0] == '/')
        {
            return "is an absolute path";
        }

        if (name.Contains(':', StringComparison.Ordinal))
        {
            return "contains ':' (a drive letter or stream name)";
        }

        if (name.Any(char.IsControl))
        {
            return "contains a control character";
        }

        if (name[^1] == '/')
        {
            return "is a directory entry; packages hold files only";
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "has an empty path segment ('//')";
            }

            if (segment is "." or "..")
            {
                return $"has a '{segment}' path segment";
            }
        }

        var isTopLevelFile = name is PackageLayout.ManifestPath or PackageLayout.FileListPath or PackageLayout.SignaturePath;
        if (!isTopLevelFile && !name.StartsWith(PackageLayout.LibPrefix, StringComparison.Ordinal))
        {
            return $"is outside '{PackageLayout.LibPrefix}' (only {PackageLayout.ManifestPath}, {PackageLayout.FileListPath} and {PackageLayout.SignaturePath} live at the top)";
        }

        return null;
    }
}
