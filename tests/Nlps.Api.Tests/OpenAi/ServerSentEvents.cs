using System.Text.Json;

namespace Nlps.Api.Tests.OpenAi;

/// <summary>Splits a text/event-stream body into its data payloads.</summary>
internal static class ServerSentEvents
{
    public static List<string> Data(string body) =>
        body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => Assert.Single(e.Split('\n'), line => line.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..])
            .ToList();

    /// <summary>The JSON chunks, without the closing [DONE].</summary>
    public static List<JsonElement> Chunks(string body)
    {
        var data = Data(body);
        Assert.Equal("[DONE]", data[^1]);
        return data[..^1].Select(d => JsonDocument.Parse(d).RootElement.Clone()).ToList();
    }
}
