using System.Net;
using Nlps.Console.Tests.Support;

namespace Nlps.Console.Tests;

/// <summary><c>nlpsctl admins delete|unlock</c> against a real nlpsd, each appliance starting with no account.</summary>
public sealed class AdminsCommandTests
{
    private const string Password = ConsoleAppliance.Password;

    [Fact]
    public async Task Delete_refuses_the_last_account_and_ends_the_deleted_accounts_sessions_while_nobody_deletes_themselves()
    {
        await using var appliance = await ConsoleAppliance.StartAsync();
        appliance.CreateAccount("첫째");

        var (lastExit, lastOutput) = appliance.Nlpsctl(string.Empty, "admins", "delete", "첫째");
        Assert.NotEqual(0, lastExit);
        Assert.Contains("last_account", lastOutput, StringComparison.Ordinal);

        appliance.CreateAccount("둘째");
        using var second = new ConsoleSessionClient(appliance.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, await second.SignInAsync("둘째", Password));
        Assert.Equal(HttpStatusCode.Conflict, await second.SendAsync(HttpMethod.Delete, "/v1/admin/accounts/" + Uri.EscapeDataString("둘째")));

        var (exitCode, output) = appliance.Nlpsctl(string.Empty, "admins", "delete", "둘째");
        Assert.True(exitCode == 0, output);
        Assert.Contains("deleted 둘째", output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await second.GetStatusAsync("/v1/admin/status"));

        var (_, listed) = appliance.Nlpsctl(string.Empty, "admins", "list");
        Assert.Contains("첫째", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("둘째", listed, StringComparison.Ordinal);
        var (unknownExit, unknownOutput) = appliance.Nlpsctl(string.Empty, "admins", "delete", "없는사람");
        Assert.NotEqual(0, unknownExit);
        Assert.Contains("account_not_found", unknownOutput, StringComparison.Ordinal);

        var audit = await appliance.AuditAsync("account.delete");
        Assert.Equal(
            [("없는사람", "Refused", "admin-token"), ("둘째", "Ok", "admin-token"), ("둘째", "Refused", "admin:둘째"), ("첫째", "Refused", "admin-token")],
            audit.Select(a => (a.GetProperty("target").GetString(), a.GetProperty("result").GetString(), a.GetProperty("actor").GetString())));
    }

    [Fact]
    public async Task Unlock_lets_a_locked_account_sign_in_again_before_the_lock_runs_out()
    {
        await using var appliance = await ConsoleAppliance.StartAsync();
        appliance.CreateAccount("잠김");
        using var browser = new ConsoleSessionClient(appliance.BaseAddress);
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await browser.SignInAsync("잠김", $"틀린 비밀번호 {attempt}"));
        }

        Assert.Equal((HttpStatusCode)423, await browser.SignInAsync("잠김", "틀린 비밀번호 5"));
        Assert.Equal((HttpStatusCode)423, await browser.SignInAsync("잠김", Password));

        var (exitCode, output) = appliance.Nlpsctl(string.Empty, "admins", "unlock", "잠김");
        Assert.True(exitCode == 0, output);
        Assert.Contains("unlocked 잠김", output, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await browser.SignInAsync("잠김", Password));
        var (unknownExit, unknownOutput) = appliance.Nlpsctl(string.Empty, "admins", "unlock", "없는사람");
        Assert.NotEqual(0, unknownExit);
        Assert.Contains("account_not_found", unknownOutput, StringComparison.Ordinal);
        var audit = await appliance.AuditAsync("account.unlock");
        Assert.Equal([("없는사람", "Refused"), ("잠김", "Ok")], audit.Select(a => (a.GetProperty("target").GetString(), a.GetProperty("result").GetString())));
    }
}
