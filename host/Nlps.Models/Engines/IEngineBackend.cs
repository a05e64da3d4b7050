using Microsoft.Extensions.AI;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Engines;

/// <summary>
/// An inference engine that serves deployments: the built-in CPU engine in this process, a supervised engine process
/// (vLLM, or the built-in engine's own server), or a remote OpenAI-compatible endpoint. The scheduler starts a
/// deployment with <see cref="IModelBackend.LoadAsync"/> and stops it with <see cref="IModelBackend.UnloadAsync"/>;
/// between the two, callers holding a lease talk to it through <see cref="GetChatClient"/>.
/// </summary>
public interface IEngineBackend : IModelBackend
{
    /// <summary>cpu, process or remote: what the admin API shows.</summary>
    string Kind { get; }

    /// <summary>Where the deployment stands now; <see cref="EngineState.Stopped"/> for one never started.</summary>
    EngineHealth GetHealth(string deploymentId);

    /// <summary>The model names the engine answers to for this deployment (the OpenAI <c>model</c> it accepts).</summary>
    IReadOnlyList<string> GetServedModelNames(string deploymentId);

    /// <summary>A chat client on the started deployment; it does not own the deployment.</summary>
    /// <exception cref="InvalidOperationException">The deployment is not started.</exception>
    IChatClient GetChatClient(string deploymentId);

    /// <summary>An embedding generator on the started deployment, or null when this engine serves none for it.</summary>
    IEmbeddingGenerator<string, Embedding<float>>? GetEmbeddingGenerator(string deploymentId);
}
