using System.Text.Json;
using System.Text.Json.Nodes;
using Nlps.Provisioning.Journal;
using Nlps.Provisioning.Profiles;

namespace Nlps.Cli.Provisioning;

/// <summary>
/// Creates one API key and writes its text to the handover file at once. A key of that name that is active but not in
/// the handover file (a run killed between creating and writing) is revoked first, so the customer ends with exactly
/// one active key per name.
/// </summary>
internal sealed class ApiKeyStep(ProvisioningContext context, ApiKeySpec key) : IProvisioningStep
{
    public string Name => $"apikey:{key.Name}";

    public string InputHash => Nlps.Provisioning.Journal.InputHash.Of([key.Name, .. key.Scopes]);

    public async Task<StepResult> RunAsync(CancellationToken cancellationToken)
    {
        JsonElement list = await context.Client.GetAsync("/v1/admin/api-keys", cancellationToken);
        var active = list.EnumerateArray().Where(k => k.GetProperty("name").GetString() == key.Name && k.GetProperty("state").GetString() == "active").ToList();
        string? handedOver = context.Handover.ApiKey(key.Name)?.Id;
        if (handedOver is not null && active.Any(k => k.GetProperty("id").GetString() == handedOver))
        {
            foreach (JsonElement stray in active.Where(k => k.GetProperty("id").GetString() != handedOver))
            {
                await context.Client.DeleteAsync($"/v1/admin/api-keys/{stray.GetProperty("id").GetString()}", cancellationToken);
            }

            return Result(handedOver);
        }

        foreach (JsonElement orphan in active)
        {
            await context.Client.DeleteAsync($"/v1/admin/api-keys/{orphan.GetProperty("id").GetString()}", cancellationToken);
        }

        var body = new JsonObject { ["name"] = key.Name, ["scopes"] = new JsonArray([.. key.Scopes.Select(s => JsonValue.Create(s))]) };
        JsonElement created = await context.Client.PostJsonAsync("/v1/admin/api-keys", body.ToJsonString(), cancellationToken);
        string id = created.GetProperty("apiKey").GetProperty("id").GetString()!;
        await context.Handover.SetApiKeyAsync(key.Name, id, created.GetProperty("key").GetString()!, key.Scopes, CancellationToken.None);
        return Result(id);
    }

    private StepResult Result(string id) => new($"API key '{key.Name}' ({string.Join(' ', key.Scopes)}) is {id}; its text is in the handover file", new Dictionary<string, string> { ["name"] = key.Name, ["id"] = id });
}
