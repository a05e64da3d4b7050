using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Nlps.Provisioning.Profiles;

/// <summary>
/// Reads one YAML mapping strictly: a field that is not one of the allowed ones is refused first (a misspelt key
/// must not be silently ignored), every field read is checked for type, and each error names the field by its path
/// ("models[1].maxContext") and line.
/// </summary>
internal sealed class YamlFields
{
    private readonly YamlMappingNode _node;

    public YamlFields(YamlNode node, string path, string file, params string[] allowed)
    {
        Path = path;
        File = file;
        _node = node as YamlMappingNode ?? throw Error(path, node, "must be a mapping (key: value lines)");
        foreach (YamlNode key in _node.Children.Keys)
        {
            string name = (key as YamlScalarNode)?.Value ?? "?";
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw Error(Field(name), key, $"is not a known field (expected {string.Join(", ", allowed)})");
            }
        }
    }

    public string Path { get; }

    public string File { get; }

    public YamlNode? Node(string key)
    {
        return _node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) && !IsNull(value) ? value : null;
    }

    public string Field(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public string RequiredString(string key) =>
        OptionalString(key) ?? throw Error(Field(key), _node, "is required");

    public string? OptionalString(string key)
    {
        if (Node(key) is not { } node)
        {
            return null;
        }

        if (node is not YamlScalarNode { Value: { } text } || text.Trim().Length == 0)
        {
            throw Error(Field(key), node, "must be a non-empty text");
        }

        return text.Trim();
    }

    public long? OptionalLong(string key, long min, long max)
    {
        if (Node(key) is not { } node)
        {
            return null;
        }

        if (node is not YamlScalarNode { Value: { } text } || !long.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw Error(Field(key), node, "must be a whole number");
        }

        return value < min || value > max ? throw Error(Field(key), node, $"must be between {min} and {max}, not {value}") : value;
    }

    public int RequiredInt(string key, int min, int max) =>
        (int)(OptionalLong(key, min, max) ?? throw Error(Field(key), _node, "is required"));

    public bool OptionalBool(string key, bool fallback)
    {
        if (Node(key) is not { } node)
        {
            return fallback;
        }

        return node is YamlScalarNode { Value: "true" or "false" } scalar
            ? scalar.Value == "true"
            : throw Error(Field(key), node, "must be true or false");
    }

    public IEnumerable<(YamlNode Node, string Path)> Sequence(string key)
    {
        if (Node(key) is not { } node)
        {
            return [];
        }

        return node is YamlSequenceNode sequence
            ? sequence.Children.Select((item, i) => (item, string.Create(CultureInfo.InvariantCulture, $"{Field(key)}[{i}]")))
            : throw Error(Field(key), node, "must be a list");
    }

    public IReadOnlyList<string> Strings(string key) =>
        Sequence(key).Select(item => item.Node is YamlScalarNode { Value: { Length: > 0 } text } ? text : throw Error(item.Path, item.Node, "must be a non-empty text")).ToList();

    /// <summary>A refusal of the value of <paramref name="key"/>, at its line (the mapping's when absent).</summary>
    public ProfileException Invalid(string key, string problem) => Error(Field(key), Node(key) ?? _node, problem);

    public ProfileException Error(string field, YamlNode node, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{File}: {field} (line {node.Start.Line}): {problem}"));

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted), Value: null or "" or "~" or "null" };
}
