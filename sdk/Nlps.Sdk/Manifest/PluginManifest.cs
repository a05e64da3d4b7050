using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nlps.Sdk.Manifest;

/// <summary>
/// The contents of a plugin's <c>plugin.json</c>: who the plugin is, what it needs from the appliance and what it
/// offers. The manifest is signed as part of the package and never changes after packing; mutable state (enabled,
/// faulted) lives in the appliance's database.
/// </summary>
public sealed record PluginManifest
{
    /// <summary>Stable identifier, lower-case letters, digits, dots and dashes (e.g. <c>acme.translator</c>). Keys data, config and logs.</summary>
    public required string Id { get; init; }

    /// <summary>SemVer 2 version of the plugin (e.g. <c>1.2.0</c>).</summary>
    public required string Version { get; init; }

    /// <summary>Human-readable name shown in the console.</summary>
    public string? Name { get; init; }

    /// <summary>One-paragraph description shown in the console.</summary>
    public string? Description { get; init; }

    /// <summary>Who built the plugin.</summary>
    public string? Publisher { get; init; }

    /// <summary>The <c>Nlps.Sdk</c> version the plugin was compiled against; stamped by <c>nlpsctl pack</c>.
    /// A host with SDK <c>M.y</c> loads plugins built against <c>M.x</c> with <c>x ≤ y</c>.</summary>
    public required string SdkVersion { get; init; }

    /// <summary>File name of the assembly (inside <c>lib/</c>) that holds the entry type.</summary>
    public required string EntryAssembly { get; init; }

    /// <summary>Full name of the type implementing <see cref="Agents.IAgent"/>; it needs a public parameterless constructor.</summary>
    public required string EntryType { get; init; }

    /// <summary>The operations the agent serves, mapped to <c>POST /v1/agents/{id}/{operation}</c>.</summary>
    public IReadOnlyList<OperationDescriptor> Operations { get; init; } = [];

    /// <summary>Models the agent needs, by role (e.g. <c>chat</c>, <c>embed</c>).</summary>
    public IReadOnlyDictionary<string, ModelRequirement> Models { get; init; } = new Dictionary<string, ModelRequirement>();

    /// <summary>JSON Schema of the agent's configuration section, if it has one.</summary>
    public JsonElement? ConfigSchema { get; init; }

    /// <summary>Permissions the agent asks for; shown to the administrator at install.</summary>
    public IReadOnlyList<string> Permissions { get; init; } = [];
}

/// <summary>One named operation of an agent.</summary>
public sealed record OperationDescriptor
{
    /// <summary>Operation name, lower-case letters, digits, dashes and underscores; the last path segment of its URL.</summary>
    public required string Name { get; init; }

    /// <summary>What the operation does.</summary>
    public string? Description { get; init; }

    /// <summary>True when the operation returns a stream of items (served as server-sent events).</summary>
    public bool Streaming { get; init; }
}

/// <summary>A model an agent needs for one role.</summary>
public sealed record ModelRequirement
{
    /// <summary>What kind of model serves the role.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<ModelKind>))]
    public required ModelKind Kind { get; init; }

    /// <summary>Why the agent needs it, shown to the administrator.</summary>
    public string? Description { get; init; }

    /// <summary>True when the agent still works (with fewer features) without the model.</summary>
    public bool Optional { get; init; }
}

/// <summary>The kinds of model a role can ask for.</summary>
public enum ModelKind
{
    /// <summary>A chat / text-generation model, reached through <c>IChatClient</c>.</summary>
    Chat,

    /// <summary>An embedding model, reached through <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>.</summary>
    Embedding,
}
