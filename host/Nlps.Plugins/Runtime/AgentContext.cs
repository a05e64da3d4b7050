using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Manifest;
using Nlps.Sdk.Storage;

namespace Nlps.Plugins.Runtime;

/// <summary>What one running agent gets from the appliance; owned by its <see cref="ActiveAgent"/>.</summary>
internal sealed class AgentContext : IAgentContext, IDisposable
{
    private readonly PluginManifest manifest;
    private readonly IModelRoleProvider models;
    private readonly AgentCaller calls;
    private readonly CancellationTokenSource stopping = new();

    public AgentContext(
        PluginManifest manifest,
        JsonElement configuration,
        string dataDirectory,
        ILoggerFactory loggerFactory,
        AgentStores stores,
        IModelRoleProvider models,
        Func<string, ActiveAgent?> findRunning)
    {
        this.manifest = manifest;
        this.models = models;
        calls = new AgentCaller(manifest, findRunning);
        Configuration = configuration;
        DataDirectory = dataDirectory;
        LoggerFactory = new AgentLoggerFactory(loggerFactory, manifest.Id);
        Store = stores.KeyValue;
        Documents = stores.Documents;
        Vectors = stores.Vectors;
        Meter = new Meter($"Nlps.Agent.{manifest.Id}", manifest.Version);
    }

    public string AgentId => manifest.Id;

    public string Version => manifest.Version;

    public JsonElement Configuration { get; }

    public string DataDirectory { get; }

    public ILoggerFactory LoggerFactory { get; }

    public Meter Meter { get; }

    public IKeyValueStore Store { get; }

    public IDocumentStore Documents { get; }

    public IVectorStore Vectors { get; }

    public CancellationToken Stopping => stopping.Token;

    public async ValueTask<byte[]> CallAgentAsync(string agentId, string operation, ReadOnlyMemory<byte> requestJson, CancellationToken cancellationToken)
    {
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        return await calls.CallAsync(agentId, operation, requestJson, call.Token).ConfigureAwait(false);
    }

    public IChatClient GetChatClient(string role = "chat")
    {
        RequireDeclaredRole(role, ModelKind.Chat);
        return models.GetChatClient(manifest.Id, role, out var reason) ?? throw new ModelRoleUnavailableException(role, reason);
    }

    public IEmbeddingGenerator<string, Embedding<float>> GetEmbeddingGenerator(string role = "embed")
    {
        RequireDeclaredRole(role, ModelKind.Embedding);
        return models.GetEmbeddingGenerator(manifest.Id, role, out var reason) ?? throw new ModelRoleUnavailableException(role, reason);
    }

    public void SignalStopping() => stopping.Cancel();

    public void Dispose()
    {
        stopping.Dispose();
        Meter.Dispose();
    }

    private void RequireDeclaredRole(string role, ModelKind kind)
    {
        if (!manifest.Models.TryGetValue(role, out var requirement))
        {
            throw new ModelRoleUnavailableException(role, $"the role is not declared in {manifest.Id}'s plugin.json");
        }

        if (requirement.Kind != kind)
        {
            throw new ModelRoleUnavailableException(role, $"plugin.json declares it as a {requirement.Kind} model, not {kind}");
        }
    }
}
