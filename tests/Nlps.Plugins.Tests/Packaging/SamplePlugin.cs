using System.Text;
using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Tests.Packaging;

/// <summary>A plugin's publish output and manifest, as a customer build would produce them.</summary>
internal static class SamplePlugin
{
    public const string EntryAssembly = "Acme.Translator.dll";

    public static PluginManifest Manifest(string sdkVersion = "1.0.0") => new()
    {
        Id = "acme.translator",
        Version = "1.2.0",
        Name = "번역기",
        Publisher = "Acme",
        SdkVersion = sdkVersion,
        EntryAssembly = EntryAssembly,
        EntryType = "Acme.Translator.TranslatorAgent",
        Operations = [new OperationDescriptor { Name = "translate" }],
    };

    /// <summary>Relative path (with '/') to content of every published file.</summary>
    public static IReadOnlyDictionary<string, byte[]> Files { get; } = new Dictionary<string, byte[]>
    {
        [EntryAssembly] = Encoding.ASCII.GetBytes("MZ not really an assembly, but the packager never runs it " + new string('x', 5000)),
        ["Acme.Translator.deps.json"] = Encoding.UTF8.GetBytes("""{"runtimeTarget":{"name":".NETCoreApp,Version=v10.0"}}"""),
        ["Acme.Glossary.dll"] = Encoding.ASCII.GetBytes("MZ private dependency"),
        ["runtimes/linux-x64/native/libacme.so"] = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray(),
    };

    public static string WritePublishFolder(TempFolder temp, string name = "publish")
    {
        var folder = temp.CreateFolder(name);
        foreach (var (relative, content) in Files)
        {
            var path = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }

        return folder;
    }
}
