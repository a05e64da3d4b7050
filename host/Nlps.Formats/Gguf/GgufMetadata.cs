namespace Nlps.Formats.Gguf;

/// <summary>
/// GGUF metadata in file order. Values are boxed CLR values of the tagged type (byte, sbyte, ushort, short, uint, int,
/// float, bool, string, ulong, long, double) or a <see cref="GgufArray"/>. Getters refuse a wrong type by key.
/// </summary>
public sealed class GgufMetadata
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, object>> _ordered = [];

    public GgufMetadata(string origin) => Origin = origin;

    /// <summary>The file (or other source) named in error messages.</summary>
    public string Origin { get; }

    public IReadOnlyList<KeyValuePair<string, object>> Entries => _ordered;

    public int Count => _ordered.Count;

    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>Adds a key; a repeated key is a format error.</summary>
    public void Add(string key, object value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_values.TryAdd(key, value))
        {
            throw new GgufFormatException($"{Origin}: metadata key '{key}' appears twice");
        }

        _ordered.Add(new(key, value));
    }

    public object? Find(string key) => _values.GetValueOrDefault(key);

    public string? String(string key) => Find(key) switch
    {
        null => null,
        string s => s,
        var other => throw WrongType(key, other, "a string"),
    };

    /// <summary>Any integer type as long (ggml writers differ between u32 and i32 for the same key).</summary>
    public long? Integer(string key) => Find(key) switch
    {
        null => null,
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        ulong v when v <= long.MaxValue => (long)v,
        long v => v,
        var other => throw WrongType(key, other, "an integer"),
    };

    public double? Number(string key) => Find(key) switch
    {
        null => null,
        float v => v,
        double v => v,
        var other when other is not bool and not string and not GgufArray => Integer(key),
        var other => throw WrongType(key, other, "a number"),
    };

    public bool? Bool(string key) => Find(key) switch
    {
        null => null,
        bool v => v,
        var other => throw WrongType(key, other, "a bool"),
    };

    /// <summary>The array at <paramref name="key"/> as <typeparamref name="T"/>[] (e.g. string[] for tokens, int[] for token types).</summary>
    public T[]? Array<T>(string key) => Find(key) switch
    {
        null => null,
        GgufArray { Values: T[] values } => values,
        var other => throw WrongType(key, other, $"an array of {typeof(T).Name}"),
    };

    private GgufFormatException WrongType(string key, object value, string expected) =>
        new($"{Origin}: metadata '{key}' is {Describe(value)}, expected {expected}");

    private static string Describe(object value) => value is GgufArray a ? $"an array of {a.ElementType}" : value.GetType().Name;
}
