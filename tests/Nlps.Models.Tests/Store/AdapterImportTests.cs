using System.Security.Cryptography;
using Nlps.Models.Store;
using Nlps.Testing.Models;

namespace Nlps.Models.Tests.Store;

/// <summary>LoRA adapters imported onto a stored model: checked against its tensors, copied with checksums, listed, verified, removed.</summary>
public sealed class AdapterImportTests : IDisposable
{
    private static readonly TinyModelSpec Spec = TinyModelSpec.Llama3;
    private readonly StoreFixture _fixture = new();
    private readonly TinyModel _base = TinyModel.Create(Spec);

    public void Dispose()
    {
        _base.Dispose();
        _fixture.Dispose();
    }

    [Fact]
    public async Task An_adapter_is_copied_into_its_base_with_checksums_and_listed_in_the_manifest()
    {
        await _fixture.Store.ImportAsync(_base.Folder, "tiny", null, CancellationToken.None);
        string source = TinyAdapter.Write(_fixture.Source("fin-ko"), Spec, rank: 4, alpha: 16, rsLora: true);

        AdapterEntry entry = await _fixture.Store.ImportAdapterAsync(source, "tiny", "fin-ko", null, CancellationToken.None);

        Assert.Equal(("fin-ko", 4, 16.0, true), (entry.Name, entry.Rank, entry.Alpha!.Value, entry.UseRsLora));
        Assert.Equal(TinyAdapter.AttentionTargets, entry.TargetModules);
        int headDim = Spec.Hidden / Spec.Heads;
        long perLayer = 4L * ((Spec.Hidden + (Spec.Heads * headDim)) + (2 * (Spec.Hidden + (Spec.KvHeads * headDim))) + ((Spec.Heads * headDim) + Spec.Hidden));
        Assert.Equal(perLayer * Spec.Layers, entry.Parameters);
        ModelManifest manifest = await _fixture.Store.GetManifestAsync("tiny", CancellationToken.None);
        AdapterEntry listed = Assert.Single(manifest.Adapters);
        Assert.Equal((entry.Name, entry.Rank, entry.Parameters, entry.WeightBytes), (listed.Name, listed.Rank, listed.Parameters, listed.WeightBytes));
        foreach (string file in (string[])["adapter_config.json", "adapter_model.safetensors"])
        {
            ModelFileEntry stored = manifest.Files.Single(f => f.Path == $"adapters/fin-ko/{file}");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(source, file)))), stored.Sha256);
        }

        Assert.Equal(manifest.Files.Sum(f => f.Bytes), manifest.TotalBytes);
        Assert.Equal(manifest.TotalBytes, (await _fixture.Catalog.GetAsync("tiny"))!.TotalBytes);
        Assert.DoesNotContain(_fixture.StoreFiles(), f => f.StartsWith(ModelStore.StagingFolder, StringComparison.Ordinal));
        Assert.True((await _fixture.Store.VerifyAsync("tiny", null, CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task The_base_is_found_from_adapter_config_when_not_given_and_the_name_defaults_to_the_folder()
    {
        await _fixture.Store.ImportAsync(_base.Folder, "tiny-llama", null, CancellationToken.None);
        string source = TinyAdapter.Write(_fixture.Source("legal-ko"), Spec, baseModel: "acme/tiny-llama");

        (string baseId, string name) = await _fixture.Store.PrecheckAdapterImportAsync(source, null, null, CancellationToken.None);

        Assert.Equal(("tiny-llama", "legal-ko"), (baseId, name));
    }

    [Fact]
    public async Task Verify_names_an_adapter_file_changed_after_import()
    {
        await _fixture.Store.ImportAsync(_base.Folder, "tiny", null, CancellationToken.None);
        await _fixture.Store.ImportAdapterAsync(TinyAdapter.Write(_fixture.Source("a"), Spec), "tiny", "a", null, CancellationToken.None);
        string weights = Path.Combine(_fixture.Store.Root, "tiny", "adapters", "a", "adapter_model.safetensors");
        using (FileStream file = File.Open(weights, FileMode.Open))
        {
            file.Seek(-1, SeekOrigin.End);
            file.WriteByte(0x7F);
        }

        VerificationReport report = await _fixture.Store.VerifyAsync("tiny", null, CancellationToken.None);

        FileProblem problem = Assert.Single(report.Problems);
        Assert.Equal("adapters/a/adapter_model.safetensors", problem.Path);
        Assert.Contains("SHA-256", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_an_adapter_takes_its_files_and_manifest_entry_and_a_base_with_adapters_needs_force()
    {
        await _fixture.Store.ImportAsync(_base.Folder, "tiny", null, CancellationToken.None);
        await _fixture.Store.ImportAdapterAsync(TinyAdapter.Write(_fixture.Source("a"), Spec), "tiny", "a", null, CancellationToken.None);
        await _fixture.Store.ImportAdapterAsync(TinyAdapter.Write(_fixture.Source("b"), Spec, seed: 5), "tiny", "b", null, CancellationToken.None);

        await _fixture.Store.RemoveAdapterAsync("tiny", "a", CancellationToken.None);

        ModelManifest manifest = await _fixture.Store.GetManifestAsync("tiny", CancellationToken.None);
        Assert.Equal(["b"], manifest.Adapters.Select(a => a.Name));
        Assert.DoesNotContain(manifest.Files, f => f.Path.StartsWith("adapters/a/", StringComparison.Ordinal));
        Assert.DoesNotContain(_fixture.StoreFiles(), f => f.StartsWith("tiny/adapters/a/", StringComparison.Ordinal));
        Assert.True((await _fixture.Store.VerifyAsync("tiny", null, CancellationToken.None)).Ok);
        var missing = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.RemoveAdapterAsync("tiny", "a", CancellationToken.None));
        Assert.Equal(("adapter_not_found", 404), (missing.Code, missing.StatusCode));
        Assert.Contains("it has: b", missing.Message, StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.RemoveAsync("tiny", CancellationToken.None));
        Assert.Equal(("model_has_adapters", 409), (refused.Code, refused.StatusCode));
        Assert.Contains("b", refused.Message, StringComparison.Ordinal);
        Assert.Single(await _fixture.Store.ListAsync(CancellationToken.None));

        await _fixture.Store.RemoveAsync("tiny", force: true, CancellationToken.None);
        Assert.Empty(await _fixture.Store.ListAsync(CancellationToken.None));
        Assert.Empty(_fixture.StoreFiles());
    }

    public static TheoryData<string, string, string> Mismatches => new()
    {
        // name, what is wrong, a fragment the refusal must contain
        { "wrong-in", "in", "has shape [4, 48] but base tensor 'model.layers.0.self_attn.q_proj.weight' [64, 64] needs [r=4, in=64]" },
        { "wrong-out", "out", "has shape [40, 4] but base tensor 'model.layers.0.self_attn.k_proj.weight' [16, 64] needs [out=16, r=4]" },
        { "wrong-rank", "rank", "tensor 'base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight' has shape [4, 64] but base tensor 'model.layers.0.self_attn.k_proj.weight' [16, 64] needs [r=8, in=64]" },
        { "no-b", "missing-b", "'base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight' is missing" },
        { "unknown-target", "target", "adapts 'model.layers.0.self_attn.qkv_proj.weight', which the base model does not have" },
        { "unlisted", "unlisted", "adapts module 'o_proj', which target_modules [q_proj, k_proj, v_proj] does not list" },
        { "other-base", "other-base", "needs [r=4, in=64]" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task A_mismatched_adapter_is_refused_naming_the_tensor_and_nothing_in_the_store_changes(string name, string wrong, string expected)
    {
        await _fixture.Store.ImportAsync(_base.Folder, "tiny", null, CancellationToken.None);
        string source = _fixture.Source(name);
        _ = wrong switch
        {
            "in" => TinyAdapter.Write(source, Spec, edit: t => t.Select(e => e.Name.EndsWith("layers.0.self_attn.q_proj.lora_A.weight", StringComparison.Ordinal) ? e with { Shape = [4, 48], Data = e.Data[..(4 * 48 * 4)] } : e)),
            "out" => TinyAdapter.Write(source, Spec, edit: t => t.Select(e => e.Name.EndsWith("layers.0.self_attn.k_proj.lora_B.weight", StringComparison.Ordinal) ? e with { Shape = [40, 4], Data = new byte[40 * 4 * 4] } : e)),
            "rank" => Rewrite(TinyAdapter.Write(source, Spec), "\"r\":4", "\"r\":8"),
            "missing-b" => TinyAdapter.Write(source, Spec, edit: t => t.Where(e => !e.Name.EndsWith("layers.1.self_attn.v_proj.lora_B.weight", StringComparison.Ordinal))),
            "target" => TinyAdapter.Write(source, Spec, targets: ["q_proj", "qkv_proj"]),
            "unlisted" => Rewrite(TinyAdapter.Write(source, Spec), ",\"o_proj\"", string.Empty),
            _ => TinyAdapter.Write(source, Spec with { Hidden = 48, Heads = 6, KvHeads = 2 }),
        };
        IReadOnlyList<string> before = _fixture.StoreFiles();
        byte[] manifestBefore = File.ReadAllBytes(Path.Combine(_fixture.Store.Root, "tiny", ModelManifest.FileName));

        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.ImportAdapterAsync(source, "tiny", name, null, CancellationToken.None));

        Assert.Equal("adapter_mismatch", ex.Code);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, _fixture.StoreFiles());
        Assert.Equal(manifestBefore, File.ReadAllBytes(Path.Combine(_fixture.Store.Root, "tiny", ModelManifest.FileName)));
    }

    [Fact]
    public async Task A_corrupt_adapter_file_an_unsupported_config_or_an_unknown_base_is_refused_before_anything_is_copied()
    {
        await _fixture.Store.ImportAsync(_base.Folder, "tiny", null, CancellationToken.None);
        IReadOnlyList<string> before = _fixture.StoreFiles();

        string truncated = TinyAdapter.Write(_fixture.Source("truncated"), Spec);
        string weights = Path.Combine(truncated, "adapter_model.safetensors");
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..^16]);
        var corrupt = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.ImportAdapterAsync(truncated, "tiny", "truncated", null, CancellationToken.None));
        Assert.Equal("invalid_adapter", corrupt.Code);
        Assert.Contains("adapter_model.safetensors", corrupt.Message, StringComparison.Ordinal);

        string dora = Rewrite(TinyAdapter.Write(_fixture.Source("dora"), Spec), "\"peft_type\":\"LORA\"", "\"peft_type\":\"LORA\",\"use_dora\":true");
        var unsupported = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.ImportAdapterAsync(dora, "tiny", "dora", null, CancellationToken.None));
        Assert.Equal("invalid_adapter", unsupported.Code);
        Assert.Contains("DoRA", unsupported.Message, StringComparison.Ordinal);

        string orphan = TinyAdapter.Write(_fixture.Source("orphan"), Spec, baseModel: "meta-llama/Llama-3.1-8B");
        var unknown = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.PrecheckAdapterImportAsync(orphan, null, null, CancellationToken.None));
        Assert.Equal("base_unknown", unknown.Code);
        Assert.Contains("meta-llama/Llama-3.1-8B", unknown.Message, StringComparison.Ordinal);

        Assert.Equal(before, _fixture.StoreFiles());
        Assert.Empty((await _fixture.Store.GetManifestAsync("tiny", CancellationToken.None)).Adapters);
    }

    [Fact]
    public async Task An_adapter_name_taken_on_the_base_is_refused()
    {
        await _fixture.Store.ImportAsync(_base.Folder, "tiny", null, CancellationToken.None);
        string source = TinyAdapter.Write(_fixture.Source("a"), Spec);
        await _fixture.Store.ImportAdapterAsync(source, "tiny", "a", null, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.PrecheckAdapterImportAsync(source, "tiny", "a", CancellationToken.None));

        Assert.Equal(("adapter_exists", 409), (ex.Code, ex.StatusCode));
    }

    private static string Rewrite(string folder, string from, string to)
    {
        string config = Path.Combine(folder, "adapter_config.json");
        string text = File.ReadAllText(config);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(config, text.Replace(from, to, StringComparison.Ordinal));
        return folder;
    }
}
