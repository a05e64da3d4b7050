namespace Nlps.Console.Tests.Support;

/// <summary>Every browser test shares one chromium and runs one at a time (each test class has its own nlpsd).</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<Chromium>
{
    public const string Name = "chromium";
}
