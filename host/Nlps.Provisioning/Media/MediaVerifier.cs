using System.Security.Cryptography;

using Nlps.Provisioning.Checking;

namespace Nlps.Provisioning.Media;

/// <summary>
/// Hashes every file provisioning will read and compares it with <c>SHA256SUMS</c>. Reports bytes hashed as it goes
/// (the total is known first, for a bar with rate and ETA). Problems are collected, not thrown, so the report lists
/// them all.
/// </summary>
public sealed class MediaVerifier(string mediaRoot, MediaChecksums checksums)
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>The media-relative paths a profile path stands for: the file, or every file below a folder.</summary>
    public IReadOnlyList<string> Expand(string relativePath)
    {
        string full = Full(relativePath);
        if (Directory.Exists(full))
        {
            return Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(mediaRoot, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        return [relativePath];
    }

    public long TotalBytes(IEnumerable<string> relativePaths) =>
        relativePaths.Select(Full).Where(File.Exists).Sum(f => new FileInfo(f).Length);

    public async Task<(IReadOnlyList<MediaFile> Files, IReadOnlyList<PreflightProblem> Problems)> VerifyAsync(
        IReadOnlyList<string> relativePaths, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        var files = new List<MediaFile>();
        var problems = new List<PreflightProblem>();
        long done = 0;
        byte[] buffer = new byte[ChunkBytes];
        foreach (string path in relativePaths.Distinct(StringComparer.Ordinal))
        {
            string full = Full(path);
            if (!File.Exists(full))
            {
                problems.Add(new PreflightProblem("file_missing", path, $"{path} is not on the media ({full})"));
                continue;
            }

            if (checksums.Expected(path) is not { } expected)
            {
                problems.Add(new PreflightProblem("checksum_unlisted", path, $"{path} is not listed in {MediaChecksums.FileName}"));
                continue;
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            var input = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (input.ConfigureAwait(false))
            {
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    length += read;
                    done += read;
                    progress?.Report(done);
                }
            }

            string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != expected)
            {
                problems.Add(new PreflightProblem("checksum_mismatch", path, $"{path}: SHA-256 is {actual}, {MediaChecksums.FileName} says {expected}"));
                continue;
            }

            files.Add(new MediaFile(path, length, actual));
        }

        return (files, problems);
    }

    public string Full(string relativePath) => Path.Combine(mediaRoot, relativePath.Replace('/', Path.DirectorySeparatorChar));
}
