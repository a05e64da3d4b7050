using System.Text.Json.Serialization;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Operations;
using Nlps.TestPlugins.PrivateDep;

namespace Nlps.TestPlugins.DepUser;

/// <summary>Reports which build of its private dependency it sees (compiled into DepUserA and DepUserB).</summary>
public sealed class DescribeAgent : IAgent
{
    public ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void ConfigureOperations(OperationCatalog operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        operations.Add(
            "describe",
            DescribeJson.Default.DescribeRequest,
            DescribeJson.Default.DescribeResponse,
            (_, _) => ValueTask.FromResult(new DescribeResponse(
                Greeting.Describe(),
                typeof(Greeting).Assembly.GetName().Version!.ToString())));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed record DescribeRequest;

public sealed record DescribeResponse(string Dependency, string DependencyVersion);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DescribeRequest))]
[JsonSerializable(typeof(DescribeResponse))]
internal sealed partial class DescribeJson : JsonSerializerContext;
