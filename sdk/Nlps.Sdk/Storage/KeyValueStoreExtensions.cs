using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Nlps.Sdk.Storage;

/// <summary>Typed helpers over <see cref="IKeyValueStore"/>.</summary>
public static class KeyValueStoreExtensions
{
    /// <summary>Reads a JSON value written by <see cref="SetJsonAsync{T}"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="typeInfo">Source-generated serializer metadata for <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async ValueTask<T?> GetJsonAsync<T>(this IKeyValueStore store, string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var bytes = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        return bytes is null ? default : JsonSerializer.Deserialize(bytes, typeInfo);
    }

    /// <summary>Stores a value as JSON.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">Source-generated serializer metadata for <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static ValueTask SetJsonAsync<T>(this IKeyValueStore store, string key, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), cancellationToken);
    }

    /// <summary>Reads a UTF-8 string.</summary>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async ValueTask<string?> GetStringAsync(this IKeyValueStore store, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var bytes = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Stores a string as UTF-8.</summary>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The text.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static ValueTask SetStringAsync(this IKeyValueStore store, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(value);
        return store.SetAsync(key, Encoding.UTF8.GetBytes(value), cancellationToken);
    }
}
