using Nlps.Sdk.Manifest;

namespace Nlps.Sdk.Tests.Manifest;

public sealed class ManifestValidatorTests
{
    private static PluginManifest Valid() => new()
    {
        Id = "acme.translator-ko",
        Version = "1.2.0-rc.1",
        SdkVersion = "1.0.0",
        EntryAssembly = "Acme.Translator.dll",
        EntryType = "Acme.Translator.TranslatorAgent",
        Operations = [new OperationDescriptor { Name = "translate" }, new OperationDescriptor { Name = "glossary_add", Streaming = true }],
        Models = new Dictionary<string, ModelRequirement> { ["chat"] = new() { Kind = ModelKind.Chat } },
    };

    [Fact]
    public void Valid_manifest_passes()
    {
        ManifestValidator.Validate(Valid());
    }

    [Theory]
    [InlineData("")]
    [InlineData("../x")]
    [InlineData("Acme.translator")]
    [InlineData("1acme")]
    [InlineData("acme/translator")]
    [InlineData("acme translator")]
    [InlineData("acme.translator\n")]
    public void Id_that_is_not_a_lower_case_dotted_name_is_refused(string id)
    {
        AssertRefused(Valid() with { Id = id }, "id '");
    }

    [Fact]
    public void Id_longer_than_64_characters_is_refused()
    {
        AssertRefused(Valid() with { Id = new string('a', 65) }, "1-64");
        ManifestValidator.Validate(Valid() with { Id = new string('a', 64) });
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("latest")]
    [InlineData("1.0.0\n")]
    public void Version_that_is_not_semver_is_refused(string version)
    {
        AssertRefused(Valid() with { Version = version }, "version '");
    }

    [Fact]
    public void Sdk_version_that_is_not_semver_is_refused()
    {
        AssertRefused(Valid() with { SdkVersion = "1.x" }, "sdkVersion '1.x'");
    }

    [Theory]
    [InlineData("")]
    [InlineData("lib/Acme.dll")]
    [InlineData("..\\Acme.dll")]
    [InlineData("Acme.exe")]
    public void Entry_assembly_that_is_not_a_dll_file_name_is_refused(string entryAssembly)
    {
        AssertRefused(Valid() with { EntryAssembly = entryAssembly }, "entryAssembly");
    }

    [Fact]
    public void Missing_entry_type_is_refused()
    {
        AssertRefused(Valid() with { EntryType = " " }, "entryType is required");
    }

    [Theory]
    [InlineData("Translate")]
    [InlineData("_translate")]
    [InlineData("translate/all")]
    [InlineData("")]
    public void Operation_name_outside_the_url_safe_alphabet_is_refused(string name)
    {
        AssertRefused(Valid() with { Operations = [new OperationDescriptor { Name = name }] }, "operation name");
    }

    [Fact]
    public void Operation_listed_twice_is_refused()
    {
        var operation = new OperationDescriptor { Name = "translate" };

        AssertRefused(Valid() with { Operations = [operation, operation] }, "'translate' is listed twice");
    }

    [Fact]
    public void Model_role_with_an_invalid_name_is_refused()
    {
        var models = new Dictionary<string, ModelRequirement> { ["Chat Model"] = new() { Kind = ModelKind.Chat } };

        AssertRefused(Valid() with { Models = models }, "model role 'Chat Model'");
    }

    [Fact]
    public void Model_kind_that_is_not_a_known_kind_is_refused()
    {
        var models = new Dictionary<string, ModelRequirement> { ["chat"] = new() { Kind = (ModelKind)7 } };

        AssertRefused(Valid() with { Models = models }, "model role 'chat'");
    }

    private static void AssertRefused(PluginManifest manifest, string messagePart)
    {
        var error = Assert.Throws<InvalidManifestException>(() => ManifestValidator.Validate(manifest));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }
}
