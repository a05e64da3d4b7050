using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Nlps.Cli.Output;

/// <summary>Prints JSON indented, with Korean and other non-ASCII text as itself rather than \u escapes.</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private static readonly JsonWriterOptions LineOptions = Options with { Indented = false };

    public static string Format(JsonElement value) => Write(value, Options);

    /// <summary>The value on one line (for JSON Lines output of streamed events).</summary>
    public static string FormatLine(JsonElement value) => Write(value, LineOptions);

    private static string Write(JsonElement value, JsonWriterOptions options)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
