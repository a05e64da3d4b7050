namespace Nlps.Plugins.Tests.Packaging;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("nlps-pkg-test-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string CreateFolder(string name) => Directory.CreateDirectory(Combine(name)).FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
