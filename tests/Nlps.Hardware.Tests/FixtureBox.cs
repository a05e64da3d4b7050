namespace Nlps.Hardware.Tests;

internal static class FixtureBox
{
    public static string Folder(string box) => Path.Combine(AppContext.BaseDirectory, "Fixtures", box);

    public static string Read(string box, string file) => File.ReadAllText(Path.Combine(Folder(box), file));
}
