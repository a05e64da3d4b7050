using Nlps.Sdk.Agents;
using Nlps.Sdk.Operations;
using Nlps.TestPlugins.PrivateDep;

namespace Nlps.TestPlugins.Faulty;

/// <summary>Agents that fail in each way the host must survive; a test manifest picks one as its entry type.</summary>
public abstract class FaultyAgentBase : IAgent
{
    public virtual ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public virtual void ConfigureOperations(OperationCatalog operations)
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed class ThrowingConstructorAgent : FaultyAgentBase
{
    public ThrowingConstructorAgent() => throw new InvalidOperationException("constructor failure on purpose");
}

public sealed class ThrowingInitializeAgent : FaultyAgentBase
{
    public override ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("initialize failure on purpose");
}

public sealed class HangingInitializeAgent : FaultyAgentBase
{
    public override async ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken) =>
        await Task.Delay(Timeout.Infinite, cancellationToken);
}

public sealed class UndeclaredOperationAgent : FaultyAgentBase
{
    public override void ConfigureOperations(OperationCatalog operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        operations.Add<string, string>("undeclared", FaultyJson.Default.String, FaultyJson.Default.String, (s, _) => ValueTask.FromResult(s));
    }
}

/// <summary>Derives from a type in its private dependency; loads only when that assembly ships with it.</summary>
public sealed class MissingDependencyAgent : DependencyBase, IAgent
{
    public ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void ConfigureOperations(OperationCatalog operations)
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class FaultyJson : System.Text.Json.Serialization.JsonSerializerContext;
