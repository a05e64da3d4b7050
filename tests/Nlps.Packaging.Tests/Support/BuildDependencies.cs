namespace Nlps.Packaging.Tests.Support;

/// <summary>packaging/install-build-deps.sh, run once per test process: the project installs the Debian tools its
/// tests use (dpkg-deb, lintian, systemd-analyze, adduser, setpriv, strip); a no-op when they are present.</summary>
public static class BuildDependencies
{
    private static readonly Lazy<Task> Installed = new(async () =>
        (await Command.RunAsync("bash", [Path.Combine(Repository.Packaging, "install-build-deps.sh")], TimeSpan.FromMinutes(10))).EnsureSuccess());

    public static Task EnsureAsync() => Installed.Value;
}
