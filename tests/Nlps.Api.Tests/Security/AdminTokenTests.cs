using Nlps.Api.Tests.Support;

namespace Nlps.Api.Tests.Security;

public sealed class AdminTokenTests
{
    [Fact]
    public async Task The_admin_token_is_written_once_to_an_owner_only_file_and_only_its_hash_is_stored()
    {
        await using var appliance = new TestAppliance();
        var token = appliance.AdminToken();
        var file = Path.Combine(appliance.StateDirectory, "admin.token");

        Assert.StartsWith("nlps_admin_", token, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var database = await File.ReadAllBytesAsync(Path.Combine(appliance.StateDirectory, "nlps.db"));
        Assert.DoesNotContain(token, System.Text.Encoding.UTF8.GetString(database), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_keeps_the_token_and_does_not_rewrite_a_deleted_token_file()
    {
        var state = Path.Combine(Path.GetTempPath(), $"nlps-token-{Guid.NewGuid():N}");
        try
        {
            string token;
            await using (var first = new TestAppliance(new Dictionary<string, string?> { ["State:Directory"] = state }))
            {
                token = first.AdminToken();
            }

            File.Delete(Path.Combine(state, "admin.token"));
            await using var second = new TestAppliance(new Dictionary<string, string?> { ["State:Directory"] = state });
            using var client = second.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);

            using var response = await client.GetAsync("/v1/admin/status");

            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.False(File.Exists(Path.Combine(state, "admin.token")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task Whoami_names_the_credential_and_its_roles()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();

        var caller = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/whoami"));

        Assert.Equal("admin-token", caller.GetProperty("name").GetString());
        Assert.Equal(["admin"], caller.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }
}
