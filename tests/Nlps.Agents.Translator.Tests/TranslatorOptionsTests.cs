using System.Text.Json;
using Nlps.Agents.Translator.Contracts;
using Nlps.Sdk.Manifest;
using Nlps.Testing;

namespace Nlps.Agents.Translator.Tests;

public sealed class TranslatorOptionsTests
{
    [Fact]
    public void The_config_schema_declares_every_option_with_the_default_the_agent_uses()
    {
        var manifest = ManifestJson.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "plugins", "Nlps.Agents.Translator", "plugin.json")));
        var properties = Assert.NotNull(manifest.ConfigSchema).GetProperty("properties");
        var defaults = JsonSerializer.SerializeToElement(new TranslatorOptions(), TranslatorJson.Default.TranslatorOptions);

        Assert.Equal(defaults.EnumerateObject().Select(o => o.Name).Order(StringComparer.Ordinal), properties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(defaults.EnumerateObject(), o => Assert.Equal(o.Value.GetRawText(), properties.GetProperty(o.Name).GetProperty("default").GetRawText()));
        Assert.Equal(TranslatorOptions.MaxDocumentJobRetentionHours, properties.GetProperty("documentJobRetentionHours").GetProperty("maximum").GetInt32());
    }
}
