using System.Reflection;
using System.Runtime.Loader;

namespace Nlps.Plugins.Loading;

/// <summary>
/// One collectible load context per plugin version. Shared assemblies come from the default context; everything the
/// plugin's deps.json names (managed and native) is resolved inside the plugin's folder; anything else (the framework)
/// falls through to the default context.
/// </summary>
public sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver resolver;

    /// <summary>Creates the context for the plugin whose entry assembly is <paramref name="entryAssemblyPath"/>.</summary>
    /// <param name="pluginId">Used in the context's name (it shows in diagnostics and dumps).</param>
    /// <param name="entryAssemblyPath">Absolute path of the plugin's entry assembly; its deps.json sits beside it.</param>
    public PluginLoadContext(string pluginId, string entryAssemblyPath)
        : base($"plugin:{pluginId}", isCollectible: true)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryAssemblyPath);
        EntryAssemblyPath = entryAssemblyPath;
        resolver = new AssemblyDependencyResolver(entryAssemblyPath);
    }

    /// <summary>The plugin's entry assembly.</summary>
    public string EntryAssemblyPath { get; }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (SharedAssemblies.Contains(assemblyName.Name))
        {
            return null;
        }

        var path = resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    /// <inheritdoc />
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
