using System.Text;
using Nlps.Agents.Text.Terms;
using Nlps.Sdk.Agents;

namespace Nlps.Agents.Translator;

/// <summary>Turns an import request's format and content into parsed pairs, or a clear 400 that changes nothing.</summary>
internal static class ImportContent
{
    public static IReadOnlyList<TermPair> Read(string format, string? content, string? contentBase64, TermFileLimits limits)
    {
        var parsedFormat = format?.Trim().ToLowerInvariant() switch
        {
            "json" => TermFileFormat.Json,
            "tsv" => TermFileFormat.Tsv,
            "xlsx" => TermFileFormat.Xlsx,
            _ => throw new AgentOperationException("invalid_format", $"Unknown format '{format}'; use json, tsv or xlsx."),
        };

        byte[] bytes;
        if (!string.IsNullOrEmpty(contentBase64))
        {
            try
            {
                bytes = Convert.FromBase64String(contentBase64);
            }
            catch (FormatException)
            {
                throw new AgentOperationException("invalid_base64", "contentBase64 is not valid base64.");
            }
        }
        else if (!string.IsNullOrEmpty(content) && parsedFormat != TermFileFormat.Xlsx)
        {
            bytes = Encoding.UTF8.GetBytes(content);
        }
        else
        {
            throw new AgentOperationException("content_required", parsedFormat == TermFileFormat.Xlsx
                ? "Send the .xlsx file as contentBase64."
                : "Send the file as content (text) or contentBase64.");
        }

        IReadOnlyList<TermPair> pairs;
        try
        {
            pairs = TermFileReader.Read(bytes, parsedFormat, limits);
        }
        catch (TermFileException ex)
        {
            throw new AgentOperationException("import_invalid", $"Nothing was imported: {ex.Message}");
        }

        return pairs.Count > 0 ? pairs : throw new AgentOperationException("import_empty", "The file holds no entries; nothing was imported.");
    }
}
