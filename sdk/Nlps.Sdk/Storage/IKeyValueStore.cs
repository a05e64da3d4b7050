namespace Nlps.Sdk.Storage;

/// <summary>
/// An agent's private key/value store, kept in the appliance's database. Writes are durable when the call returns.
/// Keys are 1-512 characters of any Unicode text (Korean included); values are at most 16 MiB.
/// </summary>
public interface IKeyValueStore
{
    /// <summary>The value stored under <paramref name="key"/>, or null.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, replacing any earlier value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The bytes to store.</param>
    /// <param name="cancellationToken">Cancels the write (nothing is written then).</param>
    ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="key"/>; true when it existed.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The keys that start with <paramref name="prefix"/>, in ordinal order.</summary>
    /// <param name="prefix">The prefix; empty lists every key.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    IAsyncEnumerable<string> ListKeysAsync(string prefix = "", CancellationToken cancellationToken = default);
}
