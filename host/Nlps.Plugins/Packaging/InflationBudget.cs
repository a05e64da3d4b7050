using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Nlps.Plugins.Packaging;

/// <summary>
/// Inflates entries while counting the bytes that actually come out, so a zip bomb is stopped mid-stream whatever
/// sizes its headers declare. One budget spans a whole package: it caps each file, all files together, and each
/// entry's compression ratio.
/// </summary>
internal sealed class InflationBudget(long maxTotalBytes, long maxFileBytes, int maxCompressionRatio)
{
    // Small files of zeros legitimately compress far beyond any sane ratio; judge the ratio only past this size.
    private const long RatioFloorBytes = 1024 * 1024;

    private long totalBytes;

    /// <summary>Copies the inflated bytes of <paramref name="entry"/> to <paramref name="destination"/>, feeding
    /// <paramref name="hash"/>, and returns how many there were.</summary>
    /// <exception cref="PackageRejectedException"><see cref="PackageRejectionCodes.TooLarge"/> or, for corrupt data,
    /// <see cref="PackageRejectionCodes.NotAZip"/>.</exception>
    public async Task<long> CopyAsync(ZipArchiveEntry entry, Stream destination, IncrementalHash? hash, long fileLimit, CancellationToken cancellationToken)
    {
        var limit = Math.Min(fileLimit, maxFileBytes);
        var ratioLimit = Math.Max(RatioFloorBytes, (long)Math.Min((double)long.MaxValue, (double)Math.Max(1, entry.CompressedLength) * maxCompressionRatio));
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        long fileBytes = 0;
        try
        {
            await using var source = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidDataException ex)
                {
                    throw new PackageRejectedException(PackageRejectionCodes.NotAZip, $"entry '{entry.FullName}' has corrupt compressed data: {ex.Message}", ex);
                }

                if (read == 0)
                {
                    return fileBytes;
                }

                fileBytes += read;
                totalBytes += read;
                if (fileBytes > limit)
                {
                    throw TooLarge($"entry '{entry.FullName}' inflates to more than {limit} bytes, the limit for one file");
                }

                if (totalBytes > maxTotalBytes)
                {
                    throw TooLarge($"the package inflates to more than {maxTotalBytes} bytes in total, the limit (stopped inside '{entry.FullName}')");
                }

                if (fileBytes > ratioLimit)
                {
                    throw TooLarge($"entry '{entry.FullName}' inflates more than {maxCompressionRatio} times its compressed size of {entry.CompressedLength} bytes, the compression ratio limit");
                }

                hash?.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a small entry (a JSON file) into memory under <paramref name="fileLimit"/>.</summary>
    public async Task<byte[]> ReadAllBytesAsync(ZipArchiveEntry entry, long fileLimit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await CopyAsync(entry, buffer, hash: null, fileLimit, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static PackageRejectedException TooLarge(string message) => new(PackageRejectionCodes.TooLarge, $"Package too large: {message}.");
}
