using System.Security.Cryptography;

namespace Nlps.Models.Store;

/// <summary>
/// Copies and hashes files in 1 MiB chunks, reporting each chunk. A copy goes to <c>NAME.partial</c> and resumes from
/// what is already there: the existing prefix is hashed from the copy, the rest copied from the source.
/// </summary>
internal static class FileHashing
{
    public const string PartialSuffix = ".partial";

    private const int ChunkBytes = 1 << 20;

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> (via a .partial file, flushed to disk, then renamed) and returns the copy's SHA-256.</summary>
    public static async Task<string> CopyAsync(string source, string destination, Action<long> advanced, CancellationToken cancellationToken)
    {
        string partial = destination + PartialSuffix;
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[ChunkBytes];
        var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (input.ConfigureAwait(false))
        {
            long resumeAt = File.Exists(partial) ? new FileInfo(partial).Length : 0;
            if (resumeAt > input.Length)
            {
                File.Delete(partial);
                resumeAt = 0;
            }

            if (resumeAt > 0)
            {
                await HashPrefixAsync(partial, resumeAt, hash, buffer, advanced, cancellationToken).ConfigureAwait(false);
                input.Seek(resumeAt, SeekOrigin.Begin);
            }

            var output = new FileStream(partial, FileMode.Append, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    advanced(read);
                }

                output.Flush(flushToDisk: true);
            }
        }

        File.Move(partial, destination, overwrite: true);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 of a whole file.</summary>
    public static async Task<string> HashAsync(string path, Action<long> advanced, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await HashPrefixAsync(path, long.MaxValue, hash, new byte[ChunkBytes], advanced, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task HashPrefixAsync(string path, long length, IncrementalHash hash, byte[] buffer, Action<long> advanced, CancellationToken cancellationToken)
    {
        var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (input.ConfigureAwait(false))
        {
            long left = length;
            int read;
            while (left > 0 && (read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                left -= read;
                advanced(read);
            }
        }
    }
}
