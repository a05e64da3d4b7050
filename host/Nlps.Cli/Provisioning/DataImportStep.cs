using System.Text.Json;
using System.Text.Json.Nodes;
using Nlps.Provisioning.Journal;
using Nlps.Provisioning.Media;
using Nlps.Provisioning.Profiles;

namespace Nlps.Cli.Provisioning;

/// <summary>
/// Imports one data file (or folder of documents) through the owning agent's own operation, so the agent validates it
/// as it would any upload. Every operation used merges or replaces by content, so a repeat adds nothing twice.
/// </summary>
internal sealed class DataImportStep(ProvisioningContext context, DataImportSpec data) : IProvisioningStep
{
    private readonly IReadOnlyList<MediaFile> _files = context.FilesUnder(data.Path);

    public string Name => $"data:{data.Agent}:{data.Path}";

    public string InputHash => Nlps.Provisioning.Journal.InputHash.Of([data.Agent, data.Kind, data.KnowledgeBase ?? string.Empty, .. _files.Select(f => $"{f.Path}={f.Sha256}")]);

    public async Task<StepResult> RunAsync(CancellationToken cancellationToken)
    {
        string agent = $"/v1/agents/{Uri.EscapeDataString(data.Agent)}/";
        JsonElement answer;
        switch (data.Kind)
        {
            case DataKinds.Glossary:
                answer = await PostAsync(agent + "glossary_import", TableFile(_files[0], mode: "merge"), cancellationToken);
                break;
            case DataKinds.TranslationMemory:
                answer = await PostAsync(agent + "memory_import", TableFile(_files[0], mode: null), cancellationToken);
                break;
            case DataKinds.KeywordDictionary:
                answer = await PostAsync(agent + "dictionary_import", TableFile(_files[0], mode: null), cancellationToken);
                break;
            case DataKinds.Documents:
                await PostAsync(agent + "kb_create", new JsonObject { ["kb"] = data.KnowledgeBase }, cancellationToken);
                var documents = new JsonArray();
                foreach (MediaFile file in _files)
                {
                    documents.Add(new JsonObject { ["name"] = Path.GetFileName(file.Path), ["contentBase64"] = Convert.ToBase64String(await File.ReadAllBytesAsync(context.Full(file.Path), cancellationToken)) });
                }

                answer = await PostAsync(agent + "ingest", new JsonObject { ["kb"] = data.KnowledgeBase, ["documents"] = documents, ["wait"] = true }, cancellationToken);
                if (answer.TryGetProperty("items", out JsonElement items) && items.EnumerateArray().FirstOrDefault(i => i.GetProperty("status").GetString() == "failed") is { ValueKind: JsonValueKind.Object } failed)
                {
                    throw new StepFailedException($"{data.Agent} could not ingest {failed.GetProperty("documentId").GetString()}: {failed.GetProperty("error").GetString()}");
                }

                break;
            default:
                var graph = new JsonArray();
                foreach (MediaFile file in _files)
                {
                    graph.Add(new JsonObject { ["id"] = Path.GetFileName(file.Path), ["text"] = await File.ReadAllTextAsync(context.Full(file.Path), cancellationToken) });
                }

                answer = await PostAsync(agent + "ingest", new JsonObject { ["documents"] = graph }, cancellationToken);
                break;
        }

        return new StepResult($"{data.Kind} {data.Path} → {data.Agent} ({_files.Count} file(s))", new Dictionary<string, string> { ["agent"] = data.Agent, ["kind"] = data.Kind, ["files"] = _files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    private JsonObject TableFile(MediaFile file, string? mode)
    {
        string format = Path.GetExtension(file.Path).TrimStart('.').ToLowerInvariant();
        var body = new JsonObject { ["format"] = format };
        string full = context.Full(file.Path);
        if (format == "xlsx")
        {
            body["contentBase64"] = Convert.ToBase64String(File.ReadAllBytes(full));
        }
        else
        {
            body["content"] = File.ReadAllText(full);
        }

        if (mode is not null)
        {
            body["mode"] = mode;
        }

        return body;
    }

    private async Task<JsonElement> PostAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        try
        {
            return await context.Client.PostJsonAsync(path, body.ToJsonString(), cancellationToken);
        }
        catch (Client.AdminApiException ex)
        {
            throw new StepFailedException($"{data.Agent} refused {data.Path} ({path}): {ex.Code}: {ex.Message}");
        }
    }
}
