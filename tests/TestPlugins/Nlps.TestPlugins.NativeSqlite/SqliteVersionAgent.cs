using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Operations;

namespace Nlps.TestPlugins.NativeSqlite;

/// <summary>Opens an in-memory database with its own copy of SQLite and reports the engine version.</summary>
public sealed class SqliteVersionAgent : IAgent
{
    public ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void ConfigureOperations(OperationCatalog operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        operations.Add("version", NativeJson.Default.VersionRequest, NativeJson.Default.VersionResponse, (_, _) =>
        {
            using var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "select sqlite_version()";
            return ValueTask.FromResult(new VersionResponse((string)command.ExecuteScalar()!, typeof(SqliteConnection).Assembly.Location));
        });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed record VersionRequest;

public sealed record VersionResponse(string SqliteVersion, string ManagedLocation);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(VersionRequest))]
[JsonSerializable(typeof(VersionResponse))]
internal sealed partial class NativeJson : JsonSerializerContext;
