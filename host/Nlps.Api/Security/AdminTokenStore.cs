using System.Security.Cryptography;
using System.Text;
using Nlps.Storage.Settings;

namespace Nlps.Api.Security;

/// <summary>
/// The administrator token: created at first start, kept only as a SHA-256 hash in the database, and written once,
/// in clear, to a 0600 file in the state folder for the operator (and <c>nlpsctl</c>) to read.
/// </summary>
public sealed class AdminTokenStore(SettingsStore settings)
{
    private const string HashKey = "admin.token.sha256";
    private const string TokenPrefix = "nlps_admin_";
    private byte[]? hash;

    /// <summary>The file the token is written to on first start.</summary>
    public const string FileName = "admin.token";

    /// <summary>Creates the token if the appliance has none; returns true when a new one was written to <paramref name="tokenFile"/>.</summary>
    /// <param name="tokenFile">Where to write the new token.</param>
    /// <param name="cancellationToken">Cancels the database access.</param>
    public async Task<bool> EnsureCreatedAsync(string tokenFile, CancellationToken cancellationToken)
    {
        var stored = await settings.GetAsync(HashKey, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            hash = Convert.FromHexString(stored);
            return false;
        }

        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        WriteOwnerOnly(tokenFile, token + "\n");
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        await settings.SetAsync(HashKey, Convert.ToHexStringLower(digest), cancellationToken).ConfigureAwait(false);
        hash = digest;
        return true;
    }

    /// <summary>True when <paramref name="presented"/> is the administrator token (constant-time comparison).</summary>
    /// <param name="presented">The token from the request.</param>
    public bool Verify(ReadOnlySpan<char> presented)
    {
        var expected = hash;
        if (expected is null || presented.Length is 0 or > 256)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(presented.Length)];
        var count = Encoding.UTF8.GetBytes(presented, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..count], digest);
        return CryptographicOperations.FixedTimeEquals(digest, expected);
    }

    private static void WriteOwnerOnly(string path, string content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, fileOptions))
        {
            stream.Write(Encoding.UTF8.GetBytes(content));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
