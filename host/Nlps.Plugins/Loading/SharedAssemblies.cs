namespace Nlps.Plugins.Loading;

/// <summary>
/// The assemblies every plugin gets from the host's default load context, so that <c>IAgent</c>, <c>IChatClient</c>
/// and <c>ILogger</c> have one type identity on both sides. The list is short on purpose: everything else a plugin
/// ships stays private to it (see shared/reference/plugins.md on "share everything" failures).
/// </summary>
public static class SharedAssemblies
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "Nlps.Sdk",
        "Microsoft.Extensions.AI.Abstractions",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
        "Microsoft.Extensions.Primitives",
    };

    /// <summary>True when an assembly of this simple name always comes from the host.</summary>
    /// <param name="simpleName">The assembly's simple name, without extension.</param>
    public static bool Contains(string? simpleName) => simpleName is not null && Names.Contains(simpleName);

    /// <summary>True when a file in a plugin's folder belongs to a shared assembly: its .dll (never loaded from the
    /// plugin) or the .pdb / .xml beside it.</summary>
    /// <param name="fileName">A file name such as <c>Nlps.Sdk.dll</c> or <c>Nlps.Sdk.xml</c>.</param>
    public static bool IsSharedFile(string fileName)
    {
        var extension = Path.GetExtension(fileName);
        return (extension.Equals(".dll", StringComparison.OrdinalIgnoreCase)
                || extension.Equals(".pdb", StringComparison.OrdinalIgnoreCase)
                || extension.Equals(".xml", StringComparison.OrdinalIgnoreCase))
            && Contains(Path.GetFileNameWithoutExtension(fileName));
    }
}
