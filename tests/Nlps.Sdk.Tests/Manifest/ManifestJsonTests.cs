using System.Text;
using Nlps.Sdk.Manifest;

namespace Nlps.Sdk.Tests.Manifest;

public sealed class ManifestJsonTests
{
    private const string Minimal = """
        {
          "id": "acme.translator",
          "version": "1.2.0",
          "name": "번역기",
          "sdkVersion": "1.0.0",
          "entryAssembly": "Acme.Translator.dll",
          "entryType": "Acme.Translator.TranslatorAgent",
          "operations": [ { "name": "translate", "streaming": true } ],
          "models": { "chat": { "kind": "Chat" } },
          "configSchema": { "type": "object" },
        }
        """;

    [Fact]
    public void Manifest_round_trips_through_its_json()
    {
        var parsed = ManifestJson.Parse(Encoding.UTF8.GetBytes(Minimal));

        var again = ManifestJson.Parse(ManifestJson.Serialize(parsed));

        Assert.Equal("번역기", again.Name);
        Assert.True(again.Operations.Single().Streaming);
        Assert.Equal(ModelKind.Chat, again.Models["chat"].Kind);
        Assert.Equal("object", again.ConfigSchema?.GetProperty("type").GetString());
        Assert.Equal(ManifestJson.Serialize(parsed), ManifestJson.Serialize(again));
    }

    [Fact]
    public void Missing_required_field_is_refused_naming_it()
    {
        var json = Minimal.Replace("\"entryType\": \"Acme.Translator.TranslatorAgent\",", string.Empty, StringComparison.Ordinal);

        var error = Assert.Throws<InvalidManifestException>(() => ManifestJson.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("entryType", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_refused()
    {
        var error = Assert.Throws<InvalidManifestException>(() => ManifestJson.Parse("{\"id\": "u8));

        Assert.StartsWith("plugin.json is not valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_null_is_refused()
    {
        Assert.Throws<InvalidManifestException>(() => ManifestJson.Parse("null"u8));
    }

    [Fact]
    public void Numeric_model_kind_outside_the_enum_is_refused()
    {
        var json = Minimal.Replace("\"kind\": \"Chat\"", "\"kind\": 7", StringComparison.Ordinal);

        Assert.Throws<InvalidManifestException>(() => ManifestJson.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Manifest_that_parses_is_also_validated()
    {
        var json = Minimal.Replace("\"acme.translator\"", "\"../x\"", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidManifestException>(() => ManifestJson.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("id '../x'", error.Message, StringComparison.Ordinal);
    }
}
