namespace Nlps.Testing;

/// <summary>Finds the repository and what the build put in it.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build output of a test plugin project under tests/TestPlugins.</summary>
    public static string TestPluginOutput(string project)
    {
        var path = Path.Combine(Root, "artifacts", "testplugins", project);
        return Directory.Exists(path) && Directory.EnumerateFiles(path, "*.dll").Any()
            ? path
            : throw new InvalidOperationException($"{path} is missing; build the solution (the test plugins are part of it)");
    }

    /// <summary>The build configuration the tests were built with (Debug or Release), read from the test output path.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The built nlpsd.dll.</summary>
    public static string Nlpsd => HostAssembly("Nlps.Daemon", "nlpsd.dll");

    /// <summary>The built nlpsctl.dll.</summary>
    public static string Nlpsctl => HostAssembly("Nlps.Cli", "nlpsctl.dll");

    private static string HostAssembly(string project, string file)
    {
        var path = Path.Combine(Root, "host", project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing; build the solution first");
    }

    /// <summary>The build output of a first-party agent project under plugins/.</summary>
    public static string PluginOutput(string project)
    {
        var path = Path.Combine(Root, "artifacts", "plugins", project);
        return Directory.Exists(path) && Directory.EnumerateFiles(path, "*.dll").Any()
            ? path
            : throw new InvalidOperationException($"{path} is missing; build the solution (the agents in plugins/ are part of it)");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NlpsAppliance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("NlpsAppliance.sln not found above " + AppContext.BaseDirectory);
    }
}
