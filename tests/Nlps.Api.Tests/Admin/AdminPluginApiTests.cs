using System.Net;
using System.Text.Json;
using Nlps.Api.Tests.Support;
using Nlps.Testing;

namespace Nlps.Api.Tests.Admin;

public sealed class AdminPluginApiTests
{
    [Fact]
    public async Task Install_upgrade_rollback_disable_enable_uninstall_through_the_admin_api_each_leave_an_audit_row()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();

        await appliance.InstallEchoAsync(client, "1.0.0");
        await appliance.InstallEchoAsync(client, "1.1.0");
        Assert.Equal("1.1.0", await EchoVersionAsync(client));

        using (var rollback = await client.PostAsync("/v1/admin/plugins/test.echo/rollback", null))
        {
            Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        }

        Assert.Equal("1.0.0", await EchoVersionAsync(client));

        using (var disable = await client.PostAsync("/v1/admin/plugins/test.echo/disable", null))
        {
            Assert.Equal("Disabled", (await TestAppliance.ReadJsonAsync(disable)).GetProperty("state").GetString());
        }

        using (var call = await client.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json("""{"text":"x"}""")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, call.StatusCode);
            var problem = await TestAppliance.ReadJsonAsync(call);
            Assert.Equal("agent_not_running", problem.GetProperty("code").GetString());
            Assert.Contains("Disabled", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (var enable = await client.PostAsync("/v1/admin/plugins/test.echo/enable", null))
        {
            Assert.Equal("Running", (await TestAppliance.ReadJsonAsync(enable)).GetProperty("state").GetString());
        }

        using (var uninstall = await client.DeleteAsync("/v1/admin/plugins/test.echo?purge=true"))
        {
            var result = await TestAppliance.ReadJsonAsync(uninstall);
            Assert.True(result.GetProperty("contextCollected").GetBoolean());
        }

        Assert.Empty((await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/plugins"))).EnumerateArray());
        var audit = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/audit?limit=20"));
        Assert.Equal(
            ["plugin.uninstall+purge", "plugin.enable", "plugin.disable", "plugin.rollback", "plugin.install", "plugin.install"],
            audit.EnumerateArray().Select(row => row.GetProperty("action").GetString()));
        Assert.All(audit.EnumerateArray(), row =>
        {
            Assert.Equal("Ok", row.GetProperty("result").GetString());
            Assert.Equal("admin-token", row.GetProperty("actor").GetString());
        });
        Assert.Equal("test.echo 1.1.0", audit[4].GetProperty("target").GetString());
    }

    [Theory]
    [InlineData("not_a_zip")]
    [InlineData("signature_missing")]
    [InlineData("key_untrusted")]
    [InlineData("entry_path_invalid")]
    [InlineData("manifest_invalid")]
    public async Task A_refused_upload_says_why_keeps_the_running_version_and_is_audited(string code)
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client, "1.0.0");
        var bad = await BadPackageAsync(appliance, code);

        using var response = await appliance.UploadAsync(client, bad);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(code, (await TestAppliance.ReadJsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal("1.0.0", await EchoVersionAsync(client));
        var audit = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/audit?limit=1&action=plugin.install"));
        var row = Assert.Single(audit.EnumerateArray());
        Assert.Equal("Refused", row.GetProperty("result").GetString());
        Assert.StartsWith(code, row.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(appliance.StateDirectory, "staging")));
    }

    [Fact]
    public async Task An_upload_over_the_package_limit_is_refused_with_413_before_it_is_stored()
    {
        await using var appliance = new TestAppliance(new Dictionary<string, string?> { ["Plugins:MaxPackageBytes"] = "2048" });
        using var client = appliance.CreateAdminClient();

        using var response = await appliance.UploadAsync(client, await appliance.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo()));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("package_too_large", (await TestAppliance.ReadJsonAsync(response)).GetProperty("code").GetString());
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(appliance.StateDirectory, "staging")));
    }

    [Fact]
    public async Task A_second_install_of_the_same_version_is_a_conflict()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);

        using var again = await appliance.UploadAsync(client, await appliance.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo()));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("version_exists", (await TestAppliance.ReadJsonAsync(again)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Unknown_plugins_are_404_problems()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();

        using var response = await client.PostAsync("/v1/admin/plugins/test.none/enable", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("plugin_not_found", (await TestAppliance.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Admin_routes_refuse_anonymous_callers_and_do_not_audit_them_as_admin()
    {
        await using var appliance = new TestAppliance();
        using var anonymous = appliance.CreateClient();

        using var response = await appliance.UploadAsync(anonymous, await appliance.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var admin = appliance.CreateAdminClient();
        Assert.Empty((await TestAppliance.ReadJsonAsync(await admin.GetAsync("/v1/admin/plugins"))).EnumerateArray());
    }

    [Fact]
    public async Task Status_reports_versions_and_plugin_counts()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);

        var status = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/status"));

        Assert.Equal("1.0.0", status.GetProperty("sdkVersion").GetString());
        Assert.Equal(1, status.GetProperty("pluginsRunning").GetInt32());
        Assert.Equal(appliance.StateDirectory, status.GetProperty("stateDirectory").GetString());
    }

    private static async Task<string?> EchoVersionAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json("""{"text":"v"}"""));
        return (await TestAppliance.ReadJsonAsync(response)).GetProperty("version").GetString();
    }

    private static async Task<string> BadPackageAsync(TestAppliance appliance, string code)
    {
        var folder = Path.GetDirectoryName(appliance.Packages.WriteTrustedKeyFile())!;
        var upgrade = TestPlugins.Echo(version: "1.1.0");
        switch (code)
        {
            case "not_a_zip":
                var garbage = Path.Combine(folder, "garbage.nlpkg");
                await File.WriteAllTextAsync(garbage, "PK? 아니요");
                return garbage;
            case "signature_missing":
                return await appliance.Packages.BuildAsync(TestPlugins.EchoProject, upgrade, signed: false);
            case "key_untrusted":
                return await SignWithOtherKeyAsync(await appliance.Packages.BuildAsync(TestPlugins.EchoProject, upgrade));
            case "entry_path_invalid":
                return await AddEntryAsync(await appliance.Packages.BuildAsync(TestPlugins.EchoProject, upgrade), "../../escape.txt");
            default:
                return await ReplaceManifestAsync(await appliance.Packages.BuildAsync(TestPlugins.EchoProject, upgrade));
        }
    }

    private static async Task<string> AddEntryAsync(string package, string name)
    {
        await using var stream = File.Open(package, FileMode.Open, FileAccess.ReadWrite);
        using var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Update);
        await using var entry = await zip.CreateEntry(name).OpenAsync();
        await entry.WriteAsync("x"u8.ToArray());
        return package;
    }

    // A package signed by a well-formed key the appliance does not trust.
    private static async Task<string> SignWithOtherKeyAsync(string package)
    {
        var other = Nlps.Plugins.Packaging.SigningKeyPair.Generate();
        using var signer = Nlps.Plugins.Packaging.PackageSigner.FromPrivateKeyPem(other.PrivateKeyPem);
        await using var stream = File.Open(package, FileMode.Open, FileAccess.ReadWrite);
        using var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Update);
        byte[] fileList;
        await using (var list = await zip.GetEntry("files.json")!.OpenAsync())
        using (var copy = new MemoryStream())
        {
            await list.CopyToAsync(copy);
            fileList = copy.ToArray();
        }

        zip.GetEntry("signature.json")!.Delete();
        await using var signature = await zip.CreateEntry("signature.json").OpenAsync();
        await signature.WriteAsync(signer.SignFileList(fileList).Serialize());
        return package;
    }

    // plugin.json replaced by malformed JSON, with files.json left as signed: the verifier must still say "manifest".
    private static async Task<string> ReplaceManifestAsync(string package)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"nlps-manifest-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            System.IO.Compression.ZipFile.ExtractToDirectory(package, temp);
            await File.WriteAllTextAsync(Path.Combine(temp, "plugin.json"), """{"id": "../x", "version": }""");
            var unsigned = package + ".bad.nlpkg";
            var manifestBytes = await File.ReadAllBytesAsync(Path.Combine(temp, "plugin.json"));
            var list = JsonSerializer.Deserialize<JsonElement>(await File.ReadAllBytesAsync(Path.Combine(temp, "files.json")));
            using var doc = new MemoryStream();
            await using (var writer = new Utf8JsonWriter(doc))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("files");
                foreach (var file in list.GetProperty("files").EnumerateArray())
                {
                    var path = file.GetProperty("path").GetString()!;
                    var bytes = path == "plugin.json" ? manifestBytes : await File.ReadAllBytesAsync(Path.Combine(temp, path));
                    writer.WriteStartObject();
                    writer.WriteString("path", path);
                    writer.WriteNumber("size", bytes.Length);
                    writer.WriteString("sha256", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            await File.WriteAllBytesAsync(Path.Combine(temp, "files.json"), doc.ToArray());
            using var signer = Nlps.Plugins.Packaging.PackageSigner.FromPrivateKeyPem(PackageFactory.Vendor.PrivateKeyPem);
            await File.WriteAllBytesAsync(Path.Combine(temp, "signature.json"), signer.SignFileList(doc.ToArray()).Serialize());
            System.IO.Compression.ZipFile.CreateFromDirectory(temp, unsigned);
            return unsigned;
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
