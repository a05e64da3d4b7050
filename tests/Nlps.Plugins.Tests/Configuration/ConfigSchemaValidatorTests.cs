using System.Text.Json;
using Nlps.Plugins.Configuration;
using Nlps.Sdk.Manifest;
using Nlps.Testing;

namespace Nlps.Plugins.Tests.Configuration;

public sealed class ConfigSchemaValidatorTests
{
    private const string Schema = """
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["greeting", "size"],
          "properties": {
            "greeting": { "type": "string", "minLength": 2, "maxLength": 5, "default": "안녕" },
            "size": { "type": "integer", "minimum": 1, "maximum": 10 },
            "ratio": { "type": "number", "minimum": 0, "maximum": 1 },
            "mode": { "enum": ["fast", "exact"] },
            "code": { "type": "string", "pattern": "^[A-Z]{3}$" },
            "tags": { "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1 } },
            "limits": { "type": "object", "additionalProperties": { "type": "integer" } },
            "note": { "type": ["string", "null"] }
          }
        }
        """;

    [Fact]
    public void A_value_that_fits_every_keyword_has_no_errors()
    {
        var errors = Validate("""{"greeting":"안녕하세요","size":10,"ratio":0.5,"mode":"exact","code":"KOR","tags":["관세"],"limits":{"a":1},"note":null}""");

        Assert.Empty(errors);
    }

    [Fact]
    public void Every_error_is_listed_with_its_json_path_and_keyword()
    {
        var errors = Validate("""{"greeting":"x","ratio":1.5,"mode":"slow","code":"kor","tags":["ok",""],"limits":{"a":"many"},"colour":"red","odd key":1}""");

        Assert.Equal(
            [
                ("$.size", "required"),
                ("$.greeting", "minLength"),
                ("$.ratio", "maximum"),
                ("$.mode", "enum"),
                ("$.code", "pattern"),
                ("$.tags[1]", "minLength"),
                ("$.limits.a", "type"),
                ("$.colour", "additionalProperties"),
                ("$['odd key']", "additionalProperties"),
            ],
            errors.Select(e => (e.Path, e.Keyword)));
        Assert.Equal("must be integer, not string", errors.Single(e => e.Path == "$.limits.a").Message);
        Assert.Equal("must be one of \"fast\", \"exact\"", errors.Single(e => e.Path == "$.mode").Message);
    }

    [Theory]
    [InlineData("""{"greeting":"hi","size":2}""", null)]
    [InlineData("""{"greeting":"hi","size":2.0}""", "must be integer, not number")]
    [InlineData("""{"greeting":"hi","size":1,"ratio":1e400}""", "must be at most 1, not Infinity")]
    [InlineData("""{"greeting":"hi","size":2.5}""", "must be integer, not number")]
    [InlineData("""{"greeting":"hi","size":0}""", "must be at least 1, not 0")]
    [InlineData("""{"greeting":"hi","size":11}""", "must be at most 10, not 11")]
    [InlineData("""{"greeting":"abcdef","size":1}""", "must be at most 5 characters long, not 6")]
    [InlineData("""{"greeting":"hi","size":1,"tags":[]}""", "must have at least 1 items, not 0")]
    [InlineData("""[1]""", "must be object, not array")]
    public void Each_keyword_refuses_what_it_should_and_says_so(string json, string? message)
    {
        var errors = Validate(json);

        Assert.Equal(message, errors.Count == 0 ? null : Assert.Single(errors).Message);
    }

    [Fact]
    public void Lengths_count_code_points_so_an_emoji_is_one_character()
    {
        Assert.Empty(Validate("""{"greeting":"😀😀","size":1}"""));
    }

    [Fact]
    public void The_keyword_graph_schema_accepts_the_agents_defaults_and_refuses_what_its_options_check_refuses()
    {
        var manifest = ManifestJson.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "plugins", "Nlps.Agents.KeywordGraph", "plugin.json")));
        var schema = Assert.NotNull(manifest.ConfigSchema);
        var defaults = Defaults(schema);

        Assert.Empty(ConfigSchemaValidator.Validate(schema, defaults));
        Assert.Empty(ConfigSchemaValidator.Validate(schema, JsonElement.Parse("{}")));
        var refused = ConfigSchemaValidator.Validate(schema, JsonElement.Parse("""{"passageCharacters":49,"keywordsPerPassage":51,"maxTextCharacters":0,"relationTypes":[" "],"relationTypo":"x"}"""));
        Assert.Equal(
            ["$.passageCharacters", "$.keywordsPerPassage", "$.maxTextCharacters", "$.relationTypes[0]", "$.relationTypo"],
            refused.Select(e => e.Path));
    }

    [Theory]
    [InlineData("""{"documentJobRetentionHours":0}""", null)]
    [InlineData("""{"documentJobRetentionHours":87600}""", null)]
    [InlineData("""{"documentJobRetentionHours":-1}""", "minimum")]
    [InlineData("""{"documentJobRetentionHours":87601}""", "maximum")]
    [InlineData("""{"documentJobRetentionHours":1.5}""", "type")]
    [InlineData("""{"documentJobRetentionHours":"168"}""", "type")]
    public void The_translator_schema_accepts_its_defaults_and_bounds_the_document_job_retention(string json, string? keyword)
    {
        var manifest = ManifestJson.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "plugins", "Nlps.Agents.Translator", "plugin.json")));
        var schema = Assert.NotNull(manifest.ConfigSchema);

        var errors = ConfigSchemaValidator.Validate(schema, JsonElement.Parse(json));

        Assert.Empty(ConfigSchemaValidator.Validate(schema, Defaults(schema)));
        Assert.Equal(keyword, errors.Count == 0 ? null : Assert.Single(errors).Keyword);
        Assert.All(errors, e => Assert.Equal("$.documentJobRetentionHours", e.Path));
    }

    private static IReadOnlyList<ConfigError> Validate(string json) =>
        ConfigSchemaValidator.Validate(JsonElement.Parse(Schema), JsonElement.Parse(json));

    // The object made of every property's default, as the console's editor shows them.
    private static JsonElement Defaults(JsonElement schema)
    {
        var properties = schema.GetProperty("properties").EnumerateObject()
            .Select(p => $"{JsonSerializer.Serialize(p.Name)}:{p.Value.GetProperty("default").GetRawText()}");
        return JsonElement.Parse("{" + string.Join(",", properties) + "}");
    }
}
