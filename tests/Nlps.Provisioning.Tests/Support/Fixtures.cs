namespace Nlps.Provisioning.Tests.Support;

/// <summary>The recorded boxes of tests/Nlps.Hardware.Tests, copied next to the tests.</summary>
public static class Fixtures
{
    public static string Box(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
