using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nlps.Plugins.Loading;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Manifest;
using Nlps.Sdk.Operations;
using Nlps.Sdk.Storage;

namespace Nlps.Plugins.Runtime;

/// <summary>
/// Loads a verified plugin folder into its own context and brings its agent up: entry type, constructor,
/// <see cref="IAgent.InitializeAsync"/>, then the operation catalogue checked against the manifest. Any failure
/// unloads the context again and surfaces as a <see cref="PluginStartException"/> whose message is the reason.
/// </summary>
public sealed class AgentActivator(ILoggerFactory loggerFactory, IModelRoleProvider models, TimeProvider timeProvider)
{
    /// <summary>Starts the agent in <paramref name="installDirectory"/> (which holds <c>plugin.json</c> and <c>lib/</c>).</summary>
    /// <param name="manifest">The verified manifest.</param>
    /// <param name="installDirectory">The plugin version's folder.</param>
    /// <param name="settings">Configuration, data folder and store for the agent.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public async Task<ActiveAgent> StartAsync(PluginManifest manifest, string installDirectory, AgentStartSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(settings);
        var entryPath = Path.GetFullPath(Path.Combine(installDirectory, "lib", manifest.EntryAssembly));
        if (!File.Exists(entryPath))
        {
            throw new PluginStartException($"entry assembly lib/{manifest.EntryAssembly} is missing");
        }

        var loadContext = new PluginLoadContext(manifest.Id, entryPath);
        IAgent? agent = null;
        AgentContext? context = null;
        try
        {
            agent = CreateAgent(loadContext, manifest);
            Directory.CreateDirectory(settings.DataDirectory);
            context = new AgentContext(manifest, settings.Configuration, settings.DataDirectory, loggerFactory, settings.Stores, models, settings.FindRunning ?? (_ => null));
            await InitializeAsync(agent, context, settings.StartTimeout, cancellationToken).ConfigureAwait(false);
            var operations = CollectOperations(agent, manifest);
            return new ActiveAgent(manifest, loadContext, agent, context, operations);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await AbandonAsync(agent, context, loadContext).ConfigureAwait(false);
            throw ex as PluginStartException ?? new PluginStartException($"start-up failed: {ex.Message}", ex);
        }
        catch
        {
            await AbandonAsync(agent, context, loadContext).ConfigureAwait(false);
            throw;
        }
    }

    private static IAgent CreateAgent(PluginLoadContext loadContext, PluginManifest manifest)
    {
        Assembly assembly;
        try
        {
            assembly = loadContext.LoadFromAssemblyPath(loadContext.EntryAssemblyPath);

            // Resolve every type now, so a plugin built against an incompatible shared library fails here with a
            // reason rather than on its first call.
            _ = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var first = ex.LoaderExceptions.FirstOrDefault(e => e is not null)?.Message ?? ex.Message;
            throw new PluginStartException($"{manifest.EntryAssembly} references a missing or incompatible assembly: {first}", ex);
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new PluginStartException($"{manifest.EntryAssembly} could not be loaded: {ex.Message}", ex);
        }

        var type = assembly.GetType(manifest.EntryType, throwOnError: false)
            ?? throw new PluginStartException($"entry type {manifest.EntryType} is not in {manifest.EntryAssembly}");
        if (!typeof(IAgent).IsAssignableFrom(type))
        {
            throw new PluginStartException($"entry type {manifest.EntryType} does not implement {typeof(IAgent).FullName} from the appliance's SDK");
        }

        if (type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new PluginStartException($"entry type {manifest.EntryType} needs a public parameterless constructor");
        }

        try
        {
            return (IAgent)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new PluginStartException($"constructor of {manifest.EntryType} threw {ex.InnerException.GetType().Name}: {ex.InnerException.Message}", ex.InnerException);
        }
    }

    private async Task InitializeAsync(IAgent agent, AgentContext context, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            await agent.InitializeAsync(context, linked.Token).AsTask().WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new PluginStartException($"InitializeAsync did not finish within {timeout.TotalSeconds:0.#} s");
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PluginStartException($"InitializeAsync did not finish within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not PluginStartException)
        {
            throw new PluginStartException($"InitializeAsync threw {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    private static Dictionary<string, AgentOperation> CollectOperations(IAgent agent, PluginManifest manifest)
    {
        var catalog = new OperationCatalog();
        try
        {
            agent.ConfigureOperations(catalog);
        }
        catch (Exception ex)
        {
            throw new PluginStartException($"ConfigureOperations threw {ex.GetType().Name}: {ex.Message}", ex);
        }

        var declared = manifest.Operations.ToDictionary(o => o.Name, StringComparer.Ordinal);
        foreach (var name in catalog.Operations.Keys)
        {
            if (!declared.ContainsKey(name))
            {
                throw new PluginStartException($"the agent registers operation '{name}', which plugin.json does not declare");
            }
        }

        foreach (var descriptor in manifest.Operations)
        {
            if (!catalog.Operations.TryGetValue(descriptor.Name, out var operation))
            {
                throw new PluginStartException($"plugin.json declares operation '{descriptor.Name}', which the agent does not register");
            }

            if (operation.IsStreaming != descriptor.Streaming)
            {
                throw new PluginStartException($"operation '{descriptor.Name}' is {(descriptor.Streaming ? "streaming" : "not streaming")} in plugin.json but {(operation.IsStreaming ? "streaming" : "not streaming")} in code");
            }
        }

        return new Dictionary<string, AgentOperation>(catalog.Operations, StringComparer.Ordinal);
    }

    private static async Task AbandonAsync(IAgent? agent, AgentContext? context, PluginLoadContext loadContext)
    {
        if (agent is not null)
        {
            try
            {
                await agent.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The agent is already failing to start; its dispose error adds nothing to the reason.
            }
        }

        context?.Dispose();
        loadContext.Unload();
    }
}

/// <summary>What the host hands an agent at start.</summary>
/// <param name="Configuration">The agent's configuration section as JSON.</param>
/// <param name="DataDirectory">The agent's data folder.</param>
/// <param name="Stores">The agent's key/value, document and vector stores.</param>
/// <param name="StartTimeout">How long <see cref="IAgent.InitializeAsync"/> may take.</param>
/// <param name="FindRunning">Finds another running agent by id, for the agent's calls to other agents; none when null.</param>
public sealed record AgentStartSettings(JsonElement Configuration, string DataDirectory, AgentStores Stores, TimeSpan StartTimeout, Func<string, ActiveAgent?>? FindRunning = null);

/// <summary>An agent's own stores in the appliance database.</summary>
/// <param name="KeyValue">Its key/value store.</param>
/// <param name="Documents">Its full-text document store.</param>
/// <param name="Vectors">Its vector store.</param>
public sealed record AgentStores(IKeyValueStore KeyValue, IDocumentStore Documents, IVectorStore Vectors);
