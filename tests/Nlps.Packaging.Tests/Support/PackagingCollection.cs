namespace Nlps.Packaging.Tests.Support;

/// <summary>Every test that needs the .deb shares one build of it.</summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackagingFixture>
{
    public const string Name = "packaging";
}
