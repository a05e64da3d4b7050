using System.Globalization;
using System.Text.Json;
using Nlps.Inference.Embeddings;

namespace Nlps.Api.OpenAi;

/// <summary>
/// Reads a <c>POST /v1/embeddings</c> body: <c>input</c> a string or a non-empty array of strings; token-id arrays
/// (what LangChain sends by default) are refused with a message saying to send text, since ids from another
/// tokenizer mean nothing to these models. Unknown fields are ignored, as OpenAI clients expect.
/// </summary>
public static class EmbeddingRequestReader
{
    /// <summary>Most inputs in one request (OpenAI's limit).</summary>
    public const int MaxInputs = 2048;

    /// <summary>The request, or null with <paramref name="error"/> saying which field is wrong and why.</summary>
    public static EmbeddingRequest? Read(byte[] body, out EmbeddingRequestError? error)
    {
        ArgumentNullException.ThrowIfNull(body);
        error = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail(null, "The request body must be a JSON object.", out error);
            }

            if (!root.TryGetProperty("model", out JsonElement model) || model.ValueKind != JsonValueKind.String || model.GetString() is not { Length: > 0 } modelName)
            {
                return Fail("model", "'model' is required: the name of an embedding deployment (GET /v1/models).", out error);
            }

            List<string>? inputs = Inputs(root, out error);
            if (inputs is null)
            {
                return null;
            }

            string format = root.TryGetProperty("encoding_format", out JsonElement f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "float";
            if (format is not ("float" or "base64"))
            {
                return Fail("encoding_format", $"'encoding_format' must be 'float' or 'base64', not '{format}'.", out error);
            }

            int? dimensions = null;
            if (root.TryGetProperty("dimensions", out JsonElement d) && d.ValueKind != JsonValueKind.Null)
            {
                if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int value) || value <= 0)
                {
                    return Fail("dimensions", "'dimensions' must be a positive integer.", out error);
                }

                dimensions = value;
            }

            EmbeddingSide? side = null;
            if (root.TryGetProperty("input_type", out JsonElement t) && t.ValueKind != JsonValueKind.Null)
            {
                side = t.ValueKind == JsonValueKind.String ? t.GetString() switch
                {
                    "query" => EmbeddingSide.Query,
                    "passage" or "document" => EmbeddingSide.Passage,
                    _ => null,
                } : null;
                if (side is null)
                {
                    return Fail("input_type", "'input_type' must be 'query' or 'passage'.", out error);
                }
            }

            return new EmbeddingRequest(modelName, inputs, format == "base64", dimensions, side);
        }
        catch (JsonException ex)
        {
            return Fail(null, $"The request body is not valid JSON: {ex.Message}", out error);
        }
    }

    private static List<string>? Inputs(JsonElement root, out EmbeddingRequestError? error)
    {
        error = null;
        if (!root.TryGetProperty("input", out JsonElement input) || input.ValueKind == JsonValueKind.Null)
        {
            Fail("input", "'input' is required: a string or an array of strings.", out error);
            return null;
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            return NonEmpty(input.GetString()!, "input", out error) ? [input.GetString()!] : null;
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            Fail("input", "'input' must be a string or an array of strings.", out error);
            return null;
        }

        int count = input.GetArrayLength();
        if (count == 0 || count > MaxInputs)
        {
            Fail("input", $"'input' must hold 1 to {MaxInputs} strings; it holds {count}.", out error);
            return null;
        }

        if (input.EnumerateArray().All(e => e.ValueKind is JsonValueKind.Number or JsonValueKind.Array))
        {
            Fail("input", "Token-id arrays are not accepted: ids from another tokenizer (e.g. tiktoken) mean nothing to this model. Send the text as a string or an array of strings (LangChain: check_embedding_ctx_length=False).", out error);
            error = error! with { Code = "unsupported_value" };
            return null;
        }

        var texts = new List<string>(count);
        int i = 0;
        foreach (JsonElement item in input.EnumerateArray())
        {
            string at = string.Create(CultureInfo.InvariantCulture, $"input[{i}]");
            if (item.ValueKind != JsonValueKind.String)
            {
                Fail(at, $"'{at}' must be a string, not {item.ValueKind.ToString().ToLowerInvariant()}.", out error);
                return null;
            }

            if (!NonEmpty(item.GetString()!, at, out error))
            {
                return null;
            }

            texts.Add(item.GetString()!);
            i++;
        }

        return texts;
    }

    private static bool NonEmpty(string text, string at, out EmbeddingRequestError? error)
    {
        error = text.Length == 0 ? new EmbeddingRequestError(at, $"'{at}' is an empty string; there is nothing to embed.") : null;
        return error is null;
    }

    private static EmbeddingRequest? Fail(string? param, string message, out EmbeddingRequestError? error)
    {
        error = new EmbeddingRequestError(param, message);
        return null;
    }
}
