using System.Diagnostics;
using Nlps.Packaging.Tests.Installation;

namespace Nlps.Packaging.Tests.Support;

/// <summary>
/// Builds the .deb once for the whole test run with packaging/build.sh (the slow part: two self-contained publishes)
/// and extracts it; the install lifecycle runs once, on first use, for the tests that read its record.
/// </summary>
public sealed class PackagingFixture : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(20);

    private readonly string work = Directory.CreateTempSubdirectory("nlps-packaging-tests-").FullName;
    private readonly Lazy<Task<LifecycleRecord>> lifecycle;

    public PackagingFixture()
    {
        lifecycle = new Lazy<Task<LifecycleRecord>>(() => PackageLifecycle.RunAsync(DebPath, Path.Combine(work, "lifecycle")));
    }

    public string DebPath { get; private set; } = string.Empty;

    /// <summary>The package's files, unpacked with <c>dpkg-deb -x</c>; its control area is in <c>DEBIAN/</c>.</summary>
    public string Extracted => Path.Combine(work, "extracted");

    public IReadOnlyList<PackageEntry> Entries { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Control { get; private set; } = new Dictionary<string, string>();

    public TimeSpan BuildTime { get; private set; }

    public string BuildLog { get; private set; } = string.Empty;

    /// <summary>Install, upgrade, start, remove, purge: run once, on the first test that asks.</summary>
    public Task<LifecycleRecord> Lifecycle => lifecycle.Value;

    public PackageEntry Entry(string path) =>
        Entries.SingleOrDefault(e => e.Path == path) ?? throw new Xunit.Sdk.XunitException($"{path} is not in the package");

    public async Task InitializeAsync()
    {
        if (PackageTests.Skipped)
        {
            return;
        }

        // The project's own script installs the Debian tools the build and these tests use (a no-op when present).
        await BuildDependencies.EnsureAsync();

        var clock = Stopwatch.StartNew();
        var build = await Command.RunAsync(
            "bash",
            [
                Path.Combine(Repository.Packaging, "build.sh"),
                "--no-nupkgs", "--fast",
                "--out", Path.Combine(work, "out"),
                "--work", Path.Combine(Repository.Root, "artifacts", "packaging-tests"),
            ],
            BuildTimeout,
            Repository.Root);
        BuildTime = clock.Elapsed;
        BuildLog = build.Output;
        build.EnsureSuccess();
        DebPath = build.StandardOutput.Trim().Split('\n')[^1];

        var contents = (await Command.RunAsync("dpkg-deb", "--contents", DebPath)).EnsureSuccess();
        Entries = [.. contents.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(PackageEntry.Parse)];
        var fields = (await Command.RunAsync("dpkg-deb", "--field", DebPath)).EnsureSuccess();
        Control = ParseControl(fields.StandardOutput);
        (await Command.RunAsync("dpkg-deb", "--raw-extract", DebPath, Extracted)).EnsureSuccess();
    }

    public async Task DisposeAsync()
    {
        if (lifecycle.IsValueCreated)
        {
            try
            {
                await lifecycle.Value;
            }
            catch (Exception)
            {
                // Reported by the tests that awaited it; the lifecycle purges the package itself.
            }
        }

        Directory.Delete(work, recursive: true);
    }

    private static Dictionary<string, string> ParseControl(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(' ') && last is not null)
            {
                fields[last] += "\n" + line;
            }
            else if (line.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
            {
                last = line[..colon];
                fields[last] = line[(colon + 1)..].Trim();
            }
        }

        return fields;
    }
}
