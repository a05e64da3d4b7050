using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Nlps.Api.Serialization;

/// <summary>The API's serializer settings with one change people notice: Korean (and every other script) is written as
/// itself instead of <c>\uXXXX</c> escapes. HTML-sensitive characters stay escaped.</summary>
public sealed partial class ApiJsonContext
{
    /// <summary>The context every API response is written with.</summary>
    public static ApiJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    });
}
