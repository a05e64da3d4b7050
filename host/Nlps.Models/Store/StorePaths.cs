using System.Text.RegularExpressions;

namespace Nlps.Models.Store;

/// <summary>Model ids and relative file paths that cannot leave the store's folder.</summary>
public static partial class StorePaths
{
    /// <summary>Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128 characters, never "..".</summary>
    public static void ValidateId(string id, string what = "model id")
    {
        if (string.IsNullOrEmpty(id) || !IdPattern().IsMatch(id) || id.Contains("..", StringComparison.Ordinal))
        {
            throw new ModelStoreException("invalid_model_id", $"{what} '{id}' is not allowed: use letters, digits, '.', '_' and '-' (at most 128, starting with a letter or digit)");
        }
    }

    /// <summary>The full path of <paramref name="relative"/> below <paramref name="root"/>; refuses rooted paths, ".." segments and anything resolving outside.</summary>
    public static string Resolve(string root, string relative)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (string.IsNullOrEmpty(relative) || Path.IsPathRooted(relative) || relative.Contains('\\', StringComparison.Ordinal)
            || relative.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new ModelStoreException("path_escape", $"file path '{relative}' is not a plain relative path inside the model folder");
        }

        string full = Path.GetFullPath(Path.Combine(root, relative));
        string prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal)
            ? full
            : throw new ModelStoreException("path_escape", $"file path '{relative}' resolves outside the model folder");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
