using System.Text.Json;
using Nlps.Inference.Models;

namespace Nlps.Inference.ChatTemplates;

/// <summary>
/// Recognises the chat template in a model's tokenizer_config.json: the Llama 3 header format (3.0, 3.1, 3.2) or
/// ChatML (Qwen2, Qwen2.5, with the template's own default system message). There is no Jinja engine; a template
/// that is neither is refused with a reason rather than rendered wrongly.
/// </summary>
public static class ChatTemplateResolver
{
    public const string FileName = "tokenizer_config.json";

    /// <summary>The template of the model folder, or null when it has none (a base model: raw prompts only).</summary>
    public static IChatTemplate? FromModelFolder(string folder, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        string? template;
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            template = TemplateText(document.RootElement, path);
        }
        catch (JsonException ex)
        {
            throw new ModelConfigException($"{path}: not valid JSON ({ex.Message})", ex);
        }

        return template is null ? null : Recognise(template, path, timeProvider);
    }

    /// <summary>Maps Jinja template source to the renderer that reproduces it.</summary>
    public static IChatTemplate Recognise(string template, string origin, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (template.Contains("<|start_header_id|>", StringComparison.Ordinal))
        {
            bool dateHeader = template.Contains("Cutting Knowledge Date", StringComparison.Ordinal);
            bool today = template.Contains("strftime_now", StringComparison.Ordinal);
            return new Llama3ChatTemplate(dateHeader, today, timeProvider);
        }

        if (template.Contains("<|im_start|>", StringComparison.Ordinal))
        {
            return new ChatMlTemplate(DefaultSystemMessage(template));
        }

        throw new ModelConfigException($"{origin}: chat_template is not one this engine renders (Llama 3 header format or ChatML)");
    }

    // The literal default system text: '<|im_start|>system\n' followed by plain text up to '<|im_end|>'.
    private static string? DefaultSystemMessage(string template)
    {
        const string open = "<|im_start|>system\\n";
        for (int at = template.IndexOf(open, StringComparison.Ordinal); at >= 0; at = template.IndexOf(open, at + 1, StringComparison.Ordinal))
        {
            int start = at + open.Length;
            int end = template.IndexOf("<|im_end|>", start, StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            string text = template[start..end];
            if (!text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) && !text.Contains("{{", StringComparison.Ordinal))
            {
                return text;
            }
        }

        return null;
    }

    private static string? TemplateText(JsonElement root, string origin)
    {
        if (!root.TryGetProperty("chat_template", out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString();
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            // Named templates: [{"name": "default", "template": "..."}, {"name": "tool_use", ...}]
            foreach (JsonElement named in element.EnumerateArray())
            {
                if (named.ValueKind == JsonValueKind.Object && named.TryGetProperty("name", out JsonElement name) && name.GetString() == "default"
                    && named.TryGetProperty("template", out JsonElement text) && text.ValueKind == JsonValueKind.String)
                {
                    return text.GetString();
                }
            }
        }

        throw new ModelConfigException($"{origin}: chat_template must be a string or a list with a 'default' entry");
    }
}
