using System.Text.Json;
using Nlps.Sdk.Manifest;

namespace Nlps.Testing;

/// <summary>Manifests for the agents in tests/TestPlugins.</summary>
public static class TestPlugins
{
    public const string EchoProject = "Nlps.TestPlugins.Echo";
    public const string FaultyProject = "Nlps.TestPlugins.Faulty";
    public const string DepUserAProject = "Nlps.TestPlugins.DepUserA";
    public const string DepUserBProject = "Nlps.TestPlugins.DepUserB";
    public const string NativeSqliteProject = "Nlps.TestPlugins.NativeSqlite";

    public static readonly string[] EchoOperations = ["echo", "noop", "fail", "reject", "wait", "remember", "recall", "chat"];

    public static PluginManifest Echo(string id = "test.echo", string version = "1.0.0") => new()
    {
        Id = id,
        Version = version,
        Name = "에코 (echo)",
        Description = "Test agent",
        SdkVersion = SdkCompatibility.Current.ToString(),
        EntryAssembly = EchoProject + ".dll",
        EntryType = "Nlps.TestPlugins.Echo.EchoAgent",
        Operations = [.. EchoOperations.Select(name => new OperationDescriptor { Name = name }), new OperationDescriptor { Name = "count", Streaming = true }],
        Models = new Dictionary<string, ModelRequirement> { ["chat"] = new() { Kind = ModelKind.Chat, Optional = true } },
    };

    /// <summary>A configSchema for the echo agent's one setting (<c>greeting</c>) and two it ignores, to have every kind of error.</summary>
    public static JsonElement EchoConfigSchema { get; } = JsonElement.Parse("""
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["greeting"],
          "properties": {
            "greeting": { "type": "string", "minLength": 1, "maxLength": 20, "default": "hello", "description": "Sent back with every echo." },
            "repeat": { "type": "integer", "minimum": 1, "maximum": 5, "default": 1 },
            "tone": { "enum": ["plain", "warm"] }
          }
        }
        """);

    public static PluginManifest Faulty(string entryType, string id = "test.faulty", string version = "1.0.0", params string[] operations) => new()
    {
        Id = id,
        Version = version,
        SdkVersion = SdkCompatibility.Current.ToString(),
        EntryAssembly = FaultyProject + ".dll",
        EntryType = "Nlps.TestPlugins.Faulty." + entryType,
        Operations = [.. operations.Select(name => new OperationDescriptor { Name = name })],
    };

    public static PluginManifest DepUser(string project, string id) => new()
    {
        Id = id,
        Version = "1.0.0",
        SdkVersion = SdkCompatibility.Current.ToString(),
        EntryAssembly = project + ".dll",
        EntryType = "Nlps.TestPlugins.DepUser.DescribeAgent",
        Operations = [new OperationDescriptor { Name = "describe" }],
    };

    public static PluginManifest NativeSqlite(string id = "test.native-sqlite") => new()
    {
        Id = id,
        Version = "1.0.0",
        SdkVersion = SdkCompatibility.Current.ToString(),
        EntryAssembly = NativeSqliteProject + ".dll",
        EntryType = "Nlps.TestPlugins.NativeSqlite.SqliteVersionAgent",
        Operations = [new OperationDescriptor { Name = "version" }],
    };
}
