using Nlps.Console.Tests.Support;

namespace Nlps.Console.Tests;

/// <summary>One nlpsd for a test class, with the console account <see cref="Operator"/> already created.</summary>
public sealed class ApplianceFixture : IAsyncLifetime
{
    public const string Operator = "운영자";

    public ConsoleAppliance Appliance { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Appliance = await ConsoleAppliance.StartAsync();
        Appliance.CreateAccount(Operator);
    }

    public async Task DisposeAsync() => await Appliance.DisposeAsync();
}
