using System.Text.RegularExpressions;

namespace Nlps.Provisioning.Media;

/// <summary>
/// The media's <c>SHA256SUMS</c> (the output of <c>sha256sum</c>, run at the media root when the media was made):
/// every file provisioning reads must be listed there, and is checked against it before anything is changed.
/// </summary>
public sealed partial class MediaChecksums
{
    public const string FileName = "SHA256SUMS";

    private readonly Dictionary<string, string> _hashes;

    private MediaChecksums(Dictionary<string, string> hashes) => _hashes = hashes;

    public static async Task<MediaChecksums> ReadAsync(string mediaRoot, CancellationToken cancellationToken)
    {
        string path = Path.Combine(mediaRoot, FileName);
        if (!File.Exists(path))
        {
            throw new MediaException("checksums_missing", FileName, $"the media has no {FileName} at {path}; make it with `sha256sum` at the media root");
        }

        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        int number = 0;
        foreach (string line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            Match match = Line().Match(line);
            if (!match.Success)
            {
                throw new MediaException("checksums_invalid", FileName, $"{FileName} line {number} is not '<sha256>  <path>'");
            }

            string file = match.Groups[2].Value.Replace('\\', '/');
            hashes[file.StartsWith("./", StringComparison.Ordinal) ? file[2..] : file] = match.Groups[1].Value.ToLowerInvariant();
        }

        return new MediaChecksums(hashes);
    }

    /// <summary>The expected SHA-256 of a media-relative path, or null when the file is not listed.</summary>
    public string? Expected(string relativePath) => _hashes.GetValueOrDefault(relativePath);

    [GeneratedRegex("^([0-9a-fA-F]{64}) [ *](.+)$")]
    private static partial Regex Line();
}
