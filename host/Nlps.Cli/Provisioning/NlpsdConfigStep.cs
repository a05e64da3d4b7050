using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Nlps.Models.Estimation;
using Nlps.Provisioning.Checking;
using Nlps.Provisioning.Journal;
using Nlps.Provisioning.Profiles;

namespace Nlps.Cli.Provisioning;

/// <summary>
/// Writes the profile's model deployments (<c>Models:Deployments</c>) and agent configuration (<c>Agents:&lt;id&gt;</c>)
/// into nlpsd's configuration file, keeping every other key. nlpsd reads configuration at start, so a changed file
/// means a restart before the acceptance run (<see cref="RestartNeeded"/>).
/// </summary>
internal sealed class NlpsdConfigStep(string configFile, CustomerProfile profile, IReadOnlyList<VerifiedPlugin> plugins) : IProvisioningStep
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public string Name => "nlpsd-config";

    public string InputHash => Nlps.Provisioning.Journal.InputHash.Of(configFile, Sections().ToJsonString());

    /// <summary>Whether the file changed after nlpsd started (so the running nlpsd does not have it yet).</summary>
    public static bool RestartNeeded(string configFile, DateTimeOffset nlpsdStartedAt) =>
        File.Exists(configFile) && File.GetLastWriteTimeUtc(configFile) > nlpsdStartedAt.UtcDateTime;

    public async Task<StepResult> RunAsync(CancellationToken cancellationToken)
    {
        JsonObject root;
        try
        {
            root = File.Exists(configFile)
                ? JsonNode.Parse(await File.ReadAllTextAsync(configFile, cancellationToken), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })?.AsObject() ?? []
                : [];
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new StepFailedException($"cannot read nlpsd's configuration {configFile} as a JSON object: {ex.Message}");
        }

        string before = root.ToJsonString();
        MergeInto(root, Sections());

        bool changed = root.ToJsonString() != before;
        if (changed)
        {
            try
            {
                string temp = configFile + ".tmp";
                await File.WriteAllTextAsync(temp, root.ToJsonString(Options) + "\n", cancellationToken);
                File.Move(temp, configFile, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new StepFailedException($"cannot write nlpsd's configuration {configFile}: {ex.Message} (run as a user who may, or pass --nlpsd-config)");
            }
        }

        return new StepResult(
            $"{configFile}: {profile.Models.Count} deployment(s), {plugins.Count(p => Config(p) is not null)} agent configuration(s){(changed ? " written; nlpsd must restart" : " already in place")}",
            new Dictionary<string, string> { ["file"] = configFile, ["deployments"] = string.Join(",", profile.Models.Select(m => m.Id)) });
    }

    private JsonObject Sections()
    {
        var deployments = new JsonObject();
        foreach (ModelSpec model in profile.Models)
        {
            deployments[model.Id] = new JsonObject
            {
                ["Model"] = model.Id,
                ["Roles"] = new JsonArray([.. model.Roles.Select(r => JsonValue.Create(r))]),
                ["WeightFormat"] = model.Quantization switch { QuantizationMode.Fp32 => "f32", QuantizationMode.Bf16 => "bf16", QuantizationMode.Int8 => "int8", _ => "auto" },
                ["MaxContext"] = model.MaxContext,
                ["MaxConcurrency"] = model.Concurrency,
                ["Pinned"] = model.Pinned,
            };
        }

        var agents = new JsonObject();
        foreach (VerifiedPlugin plugin in plugins)
        {
            if (Config(plugin) is { } config)
            {
                agents[plugin.Id] = config.DeepClone();
            }
        }

        return new JsonObject { ["Models"] = new JsonObject { ["Deployments"] = deployments }, ["Agents"] = agents };
    }

    private JsonObject? Config(VerifiedPlugin plugin) => profile.Plugins.First(p => p.Package == plugin.Package).Config;

    // Objects merge key by key; anything else (numbers, texts, lists such as Roles) is replaced.
    private static void MergeInto(JsonObject target, JsonObject update)
    {
        foreach ((string key, JsonNode? value) in update)
        {
            if (target[key] is JsonObject existing && value is JsonObject nested)
            {
                MergeInto(existing, nested);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}
