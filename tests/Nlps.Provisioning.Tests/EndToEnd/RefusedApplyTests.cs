using System.Text.Json;
using Nlps.Provisioning.Reports;
using Nlps.Provisioning.Tests.Support;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Provisioning.Tests.EndToEnd;

/// <summary>Bad input is refused before anything on the box changes, with the reason in the report.</summary>
public sealed class RefusedApplyTests
{
    private const int Refused = 4;

    [Fact]
    public async Task Unknown_plugin_checksum_mismatch_missing_file_and_a_model_too_large_are_refused_before_any_change()
    {
        using var work = new TempFolder("nlps-provision-bad-");
        string media = await ExampleMedia.BuildAsync("garam-bank", work.Combine("media"));
        string bank = await File.ReadAllTextAsync(ExampleMedia.Profile("garam-bank"));
        await using var box = new ProvisionedBox(work);
        await box.StartAsync();

        // Data for an agent no plugin in the profile provides.
        await AssertRefusedAsync(box, work, media, bank.Replace("agent: nlps.chatbot", "agent: nlps.analysis", StringComparison.Ordinal), "unknown_plugin", "nlps.analysis");

        // A file the profile names that is not on the media.
        await AssertRefusedAsync(box, work, media, bank.Replace("data/glossary.tsv", "data/glossary-2025.tsv", StringComparison.Ordinal), "file_missing", "data/glossary-2025.tsv");

        // A media file changed after SHA256SUMS was made.
        string glossary = Path.Combine(media, "data", "glossary.tsv");
        byte[] original = await File.ReadAllBytesAsync(glossary);
        await File.AppendAllTextAsync(glossary, "여신\tloan\n");
        await AssertRefusedAsync(box, work, media, bank, "checksum_mismatch", "data/glossary.tsv");
        await File.WriteAllBytesAsync(glossary, original);

        // A model whose KV cache (131,072 positions × 1,024 sequences × 2 KiB) cannot fit the recorded 1× H100 box.
        using (var big = TinyModel.Create(TinyModelSpec.Llama3 with { Hidden = 256, Heads = 4, KvHeads = 4, MaxPositions = 131072 }))
        {
            foreach (string file in Directory.EnumerateFiles(big.Folder))
            {
                Directory.CreateDirectory(Path.Combine(media, "models", "big"));
                File.Copy(file, Path.Combine(media, "models", "big", Path.GetFileName(file)));
            }
        }

        await ExampleMedia.WriteChecksumsAsync(media);
        string tooLarge = bank
            .Replace("path: models/garam-chat", "path: models/big", StringComparison.Ordinal)
            .Replace("maxContext: 256", "maxContext: 131072", StringComparison.Ordinal)
            .Replace("concurrency: 2", "concurrency: 1024", StringComparison.Ordinal)
            .Replace("device: any", "device: gpu", StringComparison.Ordinal);
        JsonElement report = await AssertRefusedAsync(box, work, media, tooLarge, "does_not_fit", "garam-chat", "--box", Fixtures.Box("h100-1x"));
        string reason = report.GetProperty("problems").EnumerateArray().First(p => p.GetProperty("code").GetString() == "does_not_fit").GetProperty("message").GetString()!;
        Assert.Matches(@"gpu0 needs \d+ bytes, has \d+, short \d+ bytes", reason);
        Assert.True(report.GetProperty("hardware").GetProperty("simulated").GetBoolean());

        // Nothing was changed by any of them.
        Assert.Empty((await box.GetAsync("/v1/admin/plugins")).EnumerateArray());
        Assert.Empty((await box.GetAsync("/v1/admin/models")).EnumerateArray());
        Assert.Empty((await box.GetAsync("/v1/admin/api-keys")).EnumerateArray());
        Assert.Equal("{}", await File.ReadAllTextAsync(box.ConfigFile));
        Assert.False(File.Exists(Path.Combine(box.RunFolder("garam-bank"), "journal.jsonl")));
        Assert.False(File.Exists(Path.Combine(box.RunFolder("garam-bank"), "handover.json")));
    }

    [Fact]
    public async Task A_profile_with_a_misspelt_field_is_refused_naming_it()
    {
        using var work = new TempFolder("nlps-provision-bad-");
        string profile = work.Combine("profile.yaml");
        await File.WriteAllTextAsync(profile, (await File.ReadAllTextAsync(ExampleMedia.Profile("garam-bank"))).Replace("maxContext:", "maxContxt:", StringComparison.Ordinal));

        ProcessResult result = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["provision", "check", profile]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("models[0].maxContxt (line", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("is not a known field", result.StandardError, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> AssertRefusedAsync(ProvisionedBox box, TempFolder work, string media, string profileText, string code, string subject, params string[] extra)
    {
        string profile = work.Combine($"profile-{code}.yaml");
        await File.WriteAllTextAsync(profile, profileText);
        ProcessResult result = await box.ApplyAsync(profile, media, extra);
        Assert.True(result.ExitCode == Refused, result.StandardOutput + result.StandardError);
        Assert.Contains($"refused: {code}:", result.StandardError, StringComparison.Ordinal);
        JsonElement report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(box.RunFolder("garam-bank"), ReportWriter.JsonFile))).RootElement.Clone();
        Assert.Equal(ReportOutcomes.Refused, report.GetProperty("outcome").GetString());
        Assert.Contains(report.GetProperty("problems").EnumerateArray(), p => p.GetProperty("code").GetString() == code && p.GetProperty("subject").GetString()!.Contains(subject, StringComparison.Ordinal));
        Assert.Empty(report.GetProperty("steps").EnumerateArray());
        return report;
    }
}
