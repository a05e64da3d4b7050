using Nlps.Provisioning.Tests.Support;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Provisioning.Tests.EndToEnd;

/// <summary><c>nlpsctl provision check</c> as a real process on recorded boxes: no nlpsd needed, nothing changed.</summary>
public sealed class CheckCommandTests
{
    private const string Profile = """
        customer: { id: acme, name: 에이크미 은행 }
        hardware: { gpuModel: H100, gpuCount: 1 }
        admin: { username: acme-admin }
        models:
          - { id: chat, path: models/chat, maxContext: 256, concurrency: 4, device: gpu, roles: [chat] }
        """;

    [Fact]
    public async Task The_recorded_h100_passes_and_the_plan_is_shown_marked_simulated()
    {
        using var work = await MediaAsync();

        ProcessResult result = await CheckAsync(work, Profile, "h100-1x");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("SIMULATED: recorded box", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"chat\s+fits\s+gpu0", result.StandardOutput);
        Assert.EndsWith("PASS", result.StandardOutput.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_box_without_the_promised_gpus_fails_naming_what_is_missing()
    {
        using var work = await MediaAsync();

        ProcessResult result = await CheckAsync(work, Profile, "cpu-only");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("FAIL hardware_mismatch gpus: the profile expects 1 GPU(s), the box has 0", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("FAIL does_not_fit chat:", result.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task<TempFolder> MediaAsync()
    {
        var work = new TempFolder("nlps-check-");
        using var model = TinyModel.Create(TinyModelSpec.Llama3);
        Directory.CreateDirectory(work.Combine("media", "models", "chat"));
        foreach (string file in Directory.EnumerateFiles(model.Folder))
        {
            File.Copy(file, work.Combine("media", "models", "chat", Path.GetFileName(file)));
        }

        await ExampleMedia.WriteChecksumsAsync(work.Combine("media"));
        return work;
    }

    private static async Task<ProcessResult> CheckAsync(TempFolder work, string profile, string box)
    {
        await File.WriteAllTextAsync(work.Combine("profile.yaml"), profile);
        return await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["provision", "check", work.Combine("profile.yaml"), "--media", work.Combine("media"), "--box", Fixtures.Box(box)]);
    }
}
