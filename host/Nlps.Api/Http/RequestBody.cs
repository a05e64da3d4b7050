using Microsoft.AspNetCore.Http;

namespace Nlps.Api.Http;

/// <summary>Reads a request body into memory with a hard size limit, counting bytes as they arrive.</summary>
internal static class RequestBody
{
    /// <summary>The body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        // Reading up to limit + 1 bytes tells an oversized body (whatever Content-Length claimed) from an exact fit.
        var cap = limit + 1;
        var buffer = new byte[(int)Math.Min(request.ContentLength ?? 16 * 1024, cap)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= cap)
                {
                    return null;
                }

                Array.Resize(ref buffer, (int)Math.Min(Math.Max(buffer.Length * 2L, 1024), cap));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return length == buffer.Length ? buffer : buffer[..length];
            }

            length += read;
        }
    }
}
