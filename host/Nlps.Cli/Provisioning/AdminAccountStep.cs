using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nlps.Cli.Client;
using Nlps.Provisioning.Journal;
using Nlps.Provisioning.Profiles;

namespace Nlps.Cli.Provisioning;

/// <summary>
/// Creates the customer's administrator with a generated password. The password goes to the handover file before the
/// account is created, so a run killed in between finds both and does not create it twice.
/// </summary>
internal sealed class AdminAccountStep(ProvisioningContext context, AdminSpec admin) : IProvisioningStep
{
    public string Name => $"admin:{admin.Username}";

    public string InputHash => Nlps.Provisioning.Journal.InputHash.Of(admin.Username);

    public async Task<StepResult> RunAsync(CancellationToken cancellationToken)
    {
        JsonElement accounts = await context.Client.GetAsync("/v1/admin/accounts", cancellationToken);
        bool exists = accounts.EnumerateArray().Any(a => a.GetProperty("username").GetString() == admin.Username);
        string? password = context.Handover.AdminPassword(admin.Username);
        if (exists)
        {
            return password is not null
                ? Result("exists; its password is in the handover file")
                : throw new StepFailedException($"an administrator '{admin.Username}' exists that this provisioning did not create; its password is unknown here: choose another username or remove it");
        }

        if (password is null)
        {
            password = RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
            await context.Handover.SetAdminAsync(admin.Username, password, CancellationToken.None);
        }

        try
        {
            await context.Client.PostJsonAsync("/v1/admin/accounts", new JsonObject { ["username"] = admin.Username, ["password"] = password }.ToJsonString(), cancellationToken);
        }
        catch (AdminApiException ex)
        {
            throw new StepFailedException($"the administrator '{admin.Username}' was not created: {ex.Code}: {ex.Message}");
        }

        return Result("created; its password is in the handover file");
    }

    private StepResult Result(string summary) => new($"administrator '{admin.Username}': {summary}", new Dictionary<string, string> { ["username"] = admin.Username });
}
