using System.Net;
using Nlps.Console.Tests.Support;
using Nlps.Testing;

namespace Nlps.Console.Tests;

/// <summary>The data-protection keys behind session cookies: kept in the state folder, private, encrypted at rest.</summary>
public sealed class SessionKeyTests
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_console_session_survives_an_nlpsd_restart_and_the_keys_behind_it_are_private_and_encrypted()
    {
        using var folder = new TempFolder("nlps-keys");
        var state = folder.Combine("state");
        using var browser = await SignedInBrowserAsync(state);

        var keys = Path.Combine(state, "keys");
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(keys));
        var keyFiles = Directory.GetFiles(keys);
        Assert.NotEmpty(keyFiles);
        Assert.All(keyFiles, file =>
        {
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(file));
            var xml = File.ReadAllText(file);
            Assert.Contains("CertificateKeyDecryptor", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(state, "data-protection.pfx")));

        await using var restarted = await NlpsdProcess.StartAsync(state);
        using var again = browser.MoveTo(restarted.BaseAddress);
        Assert.Equal("signed-in", await again.StateAsync());
        Assert.Equal(HttpStatusCode.OK, await again.GetStatusAsync("/v1/admin/status"));
    }

    [Fact]
    public async Task Without_the_certificate_the_stored_keys_cannot_be_read_so_the_old_session_ends()
    {
        using var folder = new TempFolder("nlps-keys");
        var state = folder.Combine("state");
        using var browser = await SignedInBrowserAsync(state);
        File.Delete(Path.Combine(state, "data-protection.pfx"));

        await using var restarted = await NlpsdProcess.StartAsync(state);
        using var again = browser.MoveTo(restarted.BaseAddress);

        Assert.Equal("signed-out", await again.StateAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, await again.GetStatusAsync("/v1/admin/status"));
    }

    // First run in the console on a fresh nlpsd, which is then stopped.
    private static async Task<ConsoleSessionClient> SignedInBrowserAsync(string state)
    {
        await using var first = await NlpsdProcess.StartAsync(state);
        var browser = new ConsoleSessionClient(first.BaseAddress);
        Assert.Equal("setup", await browser.StateAsync());
        Assert.Equal(HttpStatusCode.OK, await browser.SetUpAsync("관리자", ConsoleAppliance.Password));
        Assert.Equal("signed-in", await browser.StateAsync());
        return browser;
    }
}
