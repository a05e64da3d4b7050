using System.Net.Http.Json;
using System.Text.Json;
using Nlps.Provisioning.Tests.Support;
using Nlps.Testing;

namespace Nlps.Provisioning.Tests.EndToEnd;

/// <summary><c>nlpsctl backup</c> of a running nlpsd and <c>nlpsctl restore</c> into a stopped one, as real processes.</summary>
public sealed class BackupCommandTests
{
    [Fact]
    public async Task A_backup_of_a_running_appliance_restores_its_api_keys_and_configuration_after_the_state_is_lost()
    {
        using var work = new TempFolder("nlps-backup-cli-");
        await using var box = new ProvisionedBox(work);
        await File.WriteAllTextAsync(box.ConfigFile, """{"Agents":{"nlps.chatbot":{"answerLanguage":"한국어"}}}""");
        await box.StartAsync();
        using (HttpClient client = box.Nlpsd.CreateAdminClient())
        {
            (await client.PostAsJsonAsync("/v1/admin/api-keys", new { name = "백업 확인", scopes = new[] { "models" } })).EnsureSuccessStatusCode();
        }

        string archive = work.Combine("box.nlpsbak");
        ProcessResult backup = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["backup", archive, "--state", box.State, "--nlpsd-config", box.ConfigFile]);
        Assert.True(backup.ExitCode == 0, backup.StandardError);

        await box.StopAsync();
        Directory.Delete(box.State, recursive: true);
        await File.WriteAllTextAsync(box.ConfigFile, "{}");
        ProcessResult restore = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["restore", archive, "--state", box.State, "--nlpsd-config", box.ConfigFile]);
        Assert.True(restore.ExitCode == 0, restore.StandardError);
        await box.StartAsync();

        JsonElement keys = await box.GetAsync("/v1/admin/api-keys");
        Assert.Contains(keys.EnumerateArray(), k => k.GetProperty("name").GetString() == "백업 확인");
        Assert.Contains("한국어", await File.ReadAllTextAsync(box.ConfigFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restoring_a_file_that_is_not_a_backup_fails_and_leaves_the_state_alone()
    {
        using var work = new TempFolder("nlps-backup-cli-");
        Directory.CreateDirectory(work.Combine("state"));
        await File.WriteAllTextAsync(work.Combine("state", "admin.token"), "keep me");
        await File.WriteAllTextAsync(work.Combine("notes.txt"), "not a tar file at all");

        ProcessResult restore = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["restore", work.Combine("notes.txt"), "--state", work.Combine("state"), "--nlpsd-config", work.Combine("nlps.json")]);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("is not a readable nlps backup", restore.StandardError, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(work.Combine("state", "admin.token")));
        Assert.Equal(["admin.token"], Directory.EnumerateFileSystemEntries(work.Combine("state")).Select(Path.GetFileName));
    }
}
