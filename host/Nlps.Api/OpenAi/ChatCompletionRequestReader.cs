using System.Globalization;
using System.Text;
using System.Text.Json;
using Nlps.Inference.ChatTemplates;
using Nlps.Inference.Sampling;

namespace Nlps.Api.OpenAi;

/// <summary>
/// Reads a chat completion body the way OpenAI clients send it: unknown fields are ignored; <c>content</c> is a string
/// or an array of text parts; both <c>max_tokens</c> and <c>max_completion_tokens</c> (the latter wins); <c>stop</c> is
/// a string or an array; vLLM's extras <c>top_k</c>, <c>min_p</c>, <c>repetition_penalty</c> and <c>ignore_eos</c>.
/// Values the engine cannot honour (n &gt; 1, tools, logprobs, JSON response formats, presence or frequency
/// penalties) are refused rather than ignored, so a client never gets silently different behaviour.
/// </summary>
public static class ChatCompletionRequestReader
{
    private const int MaxStopStrings = 16;

    /// <summary>Parses <paramref name="body"/>.</summary>
    /// <param name="body">The request body.</param>
    /// <exception cref="ChatCompletionRequestException">The body is not valid JSON or a field is wrong; the message names it.</exception>
    public static ChatCompletionRequest Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new ChatCompletionRequestException(null, $"The request body is not valid JSON: {ex.Message}", "invalid_json");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ChatCompletionRequestException(null, "The request body must be a JSON object.", "invalid_json");
            }

            string model = String(root, "model") ?? throw Missing("model");
            List<ChatTurn> messages = Messages(root);
            int? maxTokens = Int(root, "max_completion_tokens", 1, int.MaxValue) ?? Int(root, "max_tokens", 1, int.MaxValue);
            Refuse(root);

            float temperature = Number(root, "temperature", 0, 2) ?? 1f;
            int topK = Int(root, "top_k", -1, int.MaxValue) ?? 0;
            long? seed = Long(root, "seed");
            var sampling = new SamplingOptions
            {
                Temperature = temperature,
                TopP = Number(root, "top_p", 0, 1, minExclusive: true) ?? 1f,
                TopK = Math.Max(0, topK),
                MinP = Number(root, "min_p", 0, 1) ?? 0f,
                RepetitionPenalty = Number(root, "repetition_penalty", 0, 100, minExclusive: true) ?? 1f,
                Seed = seed is long s ? unchecked((int)s) : null,
            };

            bool stream = Bool(root, "stream") ?? false;
            bool includeUsage = root.TryGetProperty("stream_options", out JsonElement streamOptions) && streamOptions.ValueKind == JsonValueKind.Object
                && (Bool(streamOptions, "include_usage", "stream_options.include_usage") ?? false);
            return new ChatCompletionRequest(model, messages, maxTokens, sampling, Stop(root), stream, includeUsage, Bool(root, "ignore_eos") ?? false);
        }
    }

    private static List<ChatTurn> Messages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out JsonElement array) || array.ValueKind == JsonValueKind.Null)
        {
            throw Missing("messages");
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            throw new ChatCompletionRequestException("messages", "'messages' must be a non-empty array of messages.");
        }

        var turns = new List<ChatTurn>();
        int i = 0;
        foreach (JsonElement message in array.EnumerateArray())
        {
            string at = string.Create(CultureInfo.InvariantCulture, $"messages[{i}]");
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw new ChatCompletionRequestException(at, $"'{at}' must be an object with 'role' and 'content'.");
            }

            string role = String(message, "role", at + ".role") ?? throw Missing(at + ".role");
            role = role switch
            {
                "developer" => "system",
                "system" or "user" or "assistant" or "tool" => role,
                _ => throw new ChatCompletionRequestException(at + ".role", $"'{role}' is not a role: use system, developer, user, assistant or tool."),
            };
            if (message.TryGetProperty("tool_calls", out JsonElement calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0)
            {
                throw new ChatCompletionRequestException(at + ".tool_calls", "Tool calls are not supported by the built-in engine.", "unsupported_value");
            }

            turns.Add(new ChatTurn(role, Content(message, at, role)));
            i++;
        }

        return turns;
    }

    private static string Content(JsonElement message, string at, string role)
    {
        if (!message.TryGetProperty("content", out JsonElement content) || content.ValueKind == JsonValueKind.Null)
        {
            return role == "assistant" ? string.Empty : throw Missing(at + ".content");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new ChatCompletionRequestException(at + ".content", $"'{at}.content' must be a string or an array of content parts.");
        }

        var text = new StringBuilder();
        int j = 0;
        foreach (JsonElement part in content.EnumerateArray())
        {
            string partAt = string.Create(CultureInfo.InvariantCulture, $"{at}.content[{j}]");
            string type = part.ValueKind == JsonValueKind.Object ? String(part, "type", partAt + ".type") ?? throw Missing(partAt + ".type") : throw new ChatCompletionRequestException(partAt, $"'{partAt}' must be a content part object.");
            if (type != "text")
            {
                throw new ChatCompletionRequestException(partAt + ".type", $"Content parts of type '{type}' are not supported by this model; send text parts.", "unsupported_value");
            }

            text.Append(String(part, "text", partAt + ".text") ?? throw Missing(partAt + ".text"));
            j++;
        }

        return text.ToString();
    }

    private static List<string> Stop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out JsonElement stop) || stop.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        List<string> stops = stop.ValueKind switch
        {
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array when stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String) => stop.EnumerateArray().Select(s => s.GetString()!).ToList(),
            _ => throw new ChatCompletionRequestException("stop", "'stop' must be a string or an array of strings."),
        };
        if (stops.Count > MaxStopStrings || stops.Any(string.IsNullOrEmpty))
        {
            throw new ChatCompletionRequestException("stop", $"'stop' takes at most {MaxStopStrings} non-empty strings.");
        }

        return stops;
    }

    // Fields the engine cannot honour. A default value (n = 1, penalties 0, tools empty, text format) is accepted.
    private static void Refuse(JsonElement root)
    {
        if (Int(root, "n", 1, 128) is > 1)
        {
            throw new ChatCompletionRequestException("n", "Only n = 1 is supported.", "unsupported_value");
        }

        foreach (string penalty in (string[])["presence_penalty", "frequency_penalty"])
        {
            if (Number(root, penalty, -2, 2) is float value && value != 0)
            {
                throw new ChatCompletionRequestException(penalty, $"'{penalty}' is not supported by the built-in engine; use 'repetition_penalty'.", "unsupported_value");
            }
        }

        if (root.TryGetProperty("tools", out JsonElement tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0)
        {
            throw new ChatCompletionRequestException("tools", "Tools are not supported by the built-in engine.", "unsupported_value");
        }

        if (Bool(root, "logprobs") == true)
        {
            throw new ChatCompletionRequestException("logprobs", "Log probabilities are not supported by the built-in engine.", "unsupported_value");
        }

        if (root.TryGetProperty("response_format", out JsonElement format) && format.ValueKind == JsonValueKind.Object
            && String(format, "type", "response_format.type") is { } type && type != "text")
        {
            throw new ChatCompletionRequestException("response_format", $"Response format '{type}' is not supported by the built-in engine.", "unsupported_value");
        }
    }

    private static ChatCompletionRequestException Missing(string param) => new(param, $"'{param}' is required.", "missing_required_parameter");

    private static string? String(JsonElement obj, string name, string? param = null)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ChatCompletionRequestException(param ?? name, $"'{param ?? name}' must be a string.");
    }

    private static bool? Bool(JsonElement obj, string name, string? param = null)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ChatCompletionRequestException(param ?? name, $"'{param ?? name}' must be true or false."),
        };
    }

    private static float? Number(JsonElement obj, string name, double min, double max, bool minExclusive = false)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || !double.IsFinite(number))
        {
            throw new ChatCompletionRequestException(name, $"'{name}' must be a number.");
        }

        if (number > max || number < min || (minExclusive && number == min))
        {
            string range = minExclusive ? $"greater than {min} and at most {max}" : $"between {min} and {max}";
            throw new ChatCompletionRequestException(name, string.Create(CultureInfo.InvariantCulture, $"'{name}' must be {range}; got {number}."));
        }

        return (float)number;
    }

    private static int? Int(JsonElement obj, string name, int min, int max)
    {
        long? value = Long(obj, name);
        if (value is long v && (v < min || v > max))
        {
            throw new ChatCompletionRequestException(name, string.Create(CultureInfo.InvariantCulture, $"'{name}' must be an integer from {min} to {max}; got {v}."));
        }

        return value is long ok ? (int)ok : null;
    }

    private static long? Long(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number)
            ? number
            : throw new ChatCompletionRequestException(name, $"'{name}' must be an integer.");
    }
}
