using System.Security.Cryptography;
using Nlps.Inference.Embeddings;
using Nlps.Inference.Models.Encoders.Pooling;
using Nlps.Models.Store;
using Nlps.Storage.Models;
using Nlps.Testing.Models;

namespace Nlps.Models.Tests.Store;

public sealed class ModelStoreTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Import_copies_the_model_records_each_files_sha256_and_lists_it()
    {
        string source = ModelFolders.Write(_fixture.Source("qwen-tiny"));
        Directory.CreateDirectory(Path.Combine(source, "original"));
        File.WriteAllText(Path.Combine(source, "original", "consolidated.00.pth"), "not taken");
        File.WriteAllText(Path.Combine(source, "README.md"), "not taken");

        ModelManifest manifest = await _fixture.Store.ImportAsync(source, id: null, progress: null, CancellationToken.None);

        Assert.Equal("qwen-tiny", manifest.Id);
        Assert.Equal("qwen2", manifest.ModelType);
        Assert.Equal(ModelTask.Chat, manifest.Task);
        Assert.Equal("bfloat16", manifest.Dtype);
        Assert.Equal(["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"], manifest.Files.Select(f => f.Path));
        foreach (ModelFileEntry file in manifest.Files)
        {
            byte[] original = await File.ReadAllBytesAsync(Path.Combine(source, file.Path));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), file.Sha256);
            Assert.Equal(original, await File.ReadAllBytesAsync(Path.Combine(_fixture.Store.Root, "qwen-tiny", file.Path)));
        }

        ModelRecord record = Assert.Single(await _fixture.Store.ListAsync(CancellationToken.None));
        Assert.Equal(("qwen-tiny", "chat", manifest.TotalBytes, 4), (record.Id, record.Task, record.TotalBytes, record.FileCount));
        Assert.NotNull(record.VerifiedAt);
        Assert.DoesNotContain(_fixture.StoreFiles(), f => f.StartsWith(".staging", StringComparison.Ordinal) || f.Contains("original", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sentence_transformers_encoder_keeps_its_pooling_module_folders_and_loads_from_the_store()
    {
        using var encoder = TinyEncoder.Create(new TinyEncoderSpec { PoolingMode = "pooling_mode_mean_tokens", Normalize = true });
        Directory.CreateDirectory(Path.Combine(encoder.Folder, "onnx"));
        File.WriteAllText(Path.Combine(encoder.Folder, "onnx", "model.onnx"), "not taken");

        ModelManifest manifest = await _fixture.Store.ImportAsync(encoder.Folder, "e5-tiny", progress: null, CancellationToken.None);

        Assert.Contains("1_Pooling/config.json", manifest.Files.Select(f => f.Path));
        Assert.DoesNotContain(manifest.Files, f => f.Path.StartsWith("onnx", StringComparison.Ordinal));
        using var stored = EncoderEmbeddingModel.Load(_fixture.Store.ModelFolder("e5-tiny"));
        using var original = EncoderEmbeddingModel.Load(encoder.Folder);
        Assert.Equal(original.Pooling, stored.Pooling);
        Assert.Equal(PoolingMode.Mean, stored.Pooling.Mode);
    }

    [Fact]
    public async Task Import_reports_progress_through_copy_and_verify_up_to_the_total()
    {
        string source = ModelFolders.Write(_fixture.Source("m"), weightBytes: 3 << 20);
        var reports = new List<ImportProgress>();

        ModelManifest manifest = await _fixture.Store.ImportAsync(source, "m", new SynchronousProgress(reports.Add), CancellationToken.None);

        Assert.Equal([ImportPhase.Checking, ImportPhase.Copying, ImportPhase.Verifying, ImportPhase.Committing], reports.Select(r => r.Phase).Distinct());
        Assert.Equal(manifest.TotalBytes, reports.Last(r => r.Phase == ImportPhase.Copying).BytesDone);
        Assert.All(reports.Where(r => r.Phase == ImportPhase.Copying), r => Assert.Equal(manifest.TotalBytes, r.BytesTotal));
        Assert.Equal(manifest.TotalBytes, reports.Last(r => r.Phase == ImportPhase.Verifying).BytesDone);
    }

    [Fact]
    public async Task Folder_without_config_json_is_refused_and_nothing_is_left()
    {
        string source = ModelFolders.Write(_fixture.Source("m"));
        File.Delete(Path.Combine(source, "config.json"));

        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.ImportAsync(source, null, null, CancellationToken.None));

        Assert.Equal("config_missing", ex.Code);
        Assert.Contains("config.json", ex.Message, StringComparison.Ordinal);
        await AssertNothingImportedAsync();
    }

    [Fact]
    public async Task Unknown_architecture_is_refused_naming_the_key()
    {
        string source = ModelFolders.Write(_fixture.Source("m"));
        File.WriteAllText(Path.Combine(source, "config.json"), """{"model_type": "mamba", "hidden_size": 8}""");

        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.ImportAsync(source, null, null, CancellationToken.None));

        Assert.Equal("invalid_config", ex.Code);
        Assert.Contains("mamba", ex.Message, StringComparison.Ordinal);
        await AssertNothingImportedAsync();
    }

    [Fact]
    public async Task Truncated_safetensors_is_refused_naming_the_file_and_nothing_is_left()
    {
        string source = ModelFolders.Write(_fixture.Source("m"));
        string weights = Path.Combine(source, "model.safetensors");
        using (FileStream file = File.Open(weights, FileMode.Open))
        {
            file.SetLength(file.Length - 100);
        }

        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.ImportAsync(source, null, null, CancellationToken.None));

        Assert.Equal("invalid_weights", ex.Code);
        Assert.Contains("model.safetensors", ex.Message, StringComparison.Ordinal);
        await AssertNothingImportedAsync();
    }

    [Theory]
    [InlineData("../escaped")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("..")]
    public async Task Ids_that_would_leave_the_store_are_refused(string id)
    {
        string source = ModelFolders.Write(_fixture.Source("m"));

        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.ImportAsync(source, id, null, CancellationToken.None));

        Assert.Equal("invalid_model_id", ex.Code);
        Assert.False(Directory.Exists(Path.Combine(_fixture.Folder, "state", "escaped")));
        await AssertNothingImportedAsync();
    }

    [Fact]
    public async Task Importing_an_id_that_exists_is_refused_and_the_stored_model_is_untouched()
    {
        string source = ModelFolders.Write(_fixture.Source("m"));
        ModelManifest first = await _fixture.Store.ImportAsync(source, "m", null, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.ImportAsync(source, "m", null, CancellationToken.None));

        Assert.Equal("model_exists", ex.Code);
        Assert.Equal(409, ex.StatusCode);
        Assert.True((await _fixture.Store.VerifyAsync("m", null, CancellationToken.None)).Ok);
        Assert.Equal(first.Files, (await _fixture.Store.GetManifestAsync("m", CancellationToken.None)).Files);
    }

    [Fact]
    public async Task A_cancelled_import_shows_no_model_and_a_rerun_finishes_without_recopying_finished_files()
    {
        string source = ModelFolders.Write(_fixture.Source("m"), weightBytes: 4 << 20);
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p is { Phase: ImportPhase.Copying, CurrentFile: "model.safetensors" } && p.BytesDone > (2 << 20))
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _fixture.Store.ImportAsync(source, "m", progress, cancel.Token));

        Assert.Empty(await _fixture.Store.ListAsync(CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(_fixture.Store.Root, "m")));
        string staging = Path.Combine(_fixture.Store.Root, ModelStore.StagingFolder, "m");
        Assert.True(new FileInfo(Path.Combine(staging, "model.safetensors.partial")).Length > 0);
        // config.json was finished before the cancel; mark its copy so a second copy would show.
        var marker = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(staging, "config.json"), marker);

        ModelManifest manifest = await _fixture.Store.ImportAsync(source, "m", null, CancellationToken.None);

        Assert.Equal(marker, File.GetLastWriteTimeUtc(Path.Combine(_fixture.Store.Root, "m", "config.json")));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(source, "model.safetensors")))), manifest.Files.Single(f => f.Path == "model.safetensors").Sha256);
        Assert.True((await _fixture.Store.VerifyAsync("m", null, CancellationToken.None)).Ok);
        Assert.False(Directory.Exists(staging));
    }

    [Fact]
    public async Task A_model_renamed_into_place_before_its_row_was_written_is_recorded_by_reconcile()
    {
        string source = ModelFolders.Write(_fixture.Source("m"));
        await _fixture.Store.ImportAsync(source, "m", null, CancellationToken.None);
        await _fixture.Catalog.DeleteAsync("m");
        await _fixture.Catalog.UpsertAsync(new ModelRecord("gone", "llama", "chat", null, 1, 1, 1, "x", DateTimeOffset.UnixEpoch, null, null));

        await _fixture.Store.ReconcileAsync(CancellationToken.None);

        Assert.Equal(["m"], (await _fixture.Store.ListAsync(CancellationToken.None)).Select(r => r.Id));
    }

    [Fact]
    public async Task Verify_names_each_file_that_changed_went_missing_or_shrank()
    {
        string source = ModelFolders.Write(_fixture.Source("m"));
        ModelFolders.AddAdapter(source, "finance");
        await _fixture.Store.ImportAsync(source, "m", null, CancellationToken.None);
        string stored = Path.Combine(_fixture.Store.Root, "m");
        using (FileStream weights = File.Open(Path.Combine(stored, "model.safetensors"), FileMode.Open))
        {
            weights.Seek(-1, SeekOrigin.End);
            weights.WriteByte(0xFF);
        }

        File.Delete(Path.Combine(stored, "tokenizer.json"));
        File.WriteAllText(Path.Combine(stored, "adapters", "finance", "adapter_config.json"), "{}");

        VerificationReport report = await _fixture.Store.VerifyAsync("m", null, CancellationToken.None);

        Assert.False(report.Ok);
        Assert.Equal(["adapters/finance/adapter_config.json", "model.safetensors", "tokenizer.json"], report.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Contains("SHA-256", report.Problems.Single(p => p.Path == "model.safetensors").Problem, StringComparison.Ordinal);
        Assert.Equal("missing", report.Problems.Single(p => p.Path == "tokenizer.json").Problem);
        ModelRecord record = (await _fixture.Catalog.GetAsync("m"))!;
        Assert.StartsWith("model.safetensors: SHA-256", record.VerifyProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_edited_to_point_outside_the_model_is_reported_not_followed()
    {
        string source = ModelFolders.Write(_fixture.Source("m"));
        await _fixture.Store.ImportAsync(source, "m", null, CancellationToken.None);
        string manifestPath = Path.Combine(_fixture.Store.Root, "m", ModelManifest.FileName);
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"tokenizer.json\"", "\"../../nlps.db\"", StringComparison.Ordinal));

        VerificationReport report = await _fixture.Store.VerifyAsync("m", null, CancellationToken.None);

        Assert.False(report.Ok);
        Assert.Contains(report.Problems, p => p.Path == "../../nlps.db" && p.Problem.Contains("inside the model folder", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Path == ModelManifest.FileName);
    }

    [Fact]
    public async Task Hugging_face_cache_links_are_followed_and_a_blob_whose_content_is_not_its_name_is_a_checksum_mismatch()
    {
        string source = ModelFolders.Write(_fixture.Source("snapshot"));
        string blobs = Directory.CreateDirectory(_fixture.Source("blobs")).FullName;
        string weights = Path.Combine(source, "model.safetensors");
        string good = Path.Combine(blobs, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weights))));
        File.Move(weights, good);
        File.CreateSymbolicLink(weights, good);

        ModelManifest manifest = await _fixture.Store.ImportAsync(source, "linked", null, CancellationToken.None);
        Assert.Equal(Path.GetFileName(good), manifest.Files.Single(f => f.Path == "model.safetensors").Sha256);

        string bad = Path.Combine(blobs, new string('a', 64));
        File.Copy(good, bad);
        File.Delete(weights);
        File.CreateSymbolicLink(weights, bad);
        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.ImportAsync(source, "tampered", null, CancellationToken.None));

        Assert.Equal("checksum_mismatch", ex.Code);
        Assert.Contains("model.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_fixture.Store.Root, "tampered")));
        Assert.False(Directory.Exists(Path.Combine(_fixture.Store.Root, ModelStore.StagingFolder, "tampered")));
    }

    [Fact]
    public async Task Adapters_are_stored_with_their_rank_and_targets()
    {
        string source = ModelFolders.Write(_fixture.Source("m"));
        ModelFolders.AddAdapter(source, "finance-ko");

        ModelManifest manifest = await _fixture.Store.ImportAsync(source, "m", null, CancellationToken.None);

        AdapterEntry adapter = Assert.Single(manifest.Adapters);
        Assert.Equal(("finance-ko", 16, 32.0, "Qwen/Qwen2.5-0.5B-Instruct"), (adapter.Name, adapter.Rank, adapter.Alpha!.Value, adapter.BaseModel));
        Assert.Equal(["q_proj", "v_proj"], adapter.TargetModules);
        Assert.Equal(((16 * 896) + (896 * 16) + (16 * 896) + (128 * 16)) * 2, adapter.WeightBytes);
        Assert.Equal((16 * (896 + 896)) + (16 * (896 + 128)), adapter.Parameters);
        Assert.Contains(manifest.Files, f => f.Path == "adapters/finance-ko/adapter_model.safetensors");
    }

    [Fact]
    public async Task An_adapter_without_its_config_is_refused_and_nothing_is_left()
    {
        string source = ModelFolders.Write(_fixture.Source("m"));
        ModelFolders.AddAdapter(source, "broken", config: null);

        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.ImportAsync(source, null, null, CancellationToken.None));

        Assert.Equal("invalid_adapter", ex.Code);
        Assert.Contains("broken", ex.Message, StringComparison.Ordinal);
        await AssertNothingImportedAsync();
    }

    [Fact]
    public async Task Remove_takes_the_folder_and_the_row_and_an_unknown_id_is_not_found()
    {
        string source = ModelFolders.Write(_fixture.Source("m"));
        await _fixture.Store.ImportAsync(source, "m", null, CancellationToken.None);

        await _fixture.Store.RemoveAsync("m", CancellationToken.None);

        Assert.Empty(await _fixture.Store.ListAsync(CancellationToken.None));
        Assert.Empty(_fixture.StoreFiles());
        var ex = await Assert.ThrowsAsync<ModelStoreException>(() => _fixture.Store.RemoveAsync("m", CancellationToken.None));
        Assert.Equal(("model_not_found", 404), (ex.Code, ex.StatusCode));
    }

    [Fact]
    public async Task Stored_profile_gives_the_estimator_the_exact_weights()
    {
        string source = ModelFolders.Write(_fixture.Source("m"), weightBytes: 8192);
        await _fixture.Store.ImportAsync(source, "m", null, CancellationToken.None);

        Nlps.Models.Estimation.ModelProfile profile = await _fixture.Store.LoadProfileAsync("m", CancellationToken.None);

        Assert.Equal(4096, profile.Weights.ParameterCount);
        Assert.Equal("safetensors", profile.Weights.Source);
        Assert.Equal(896, profile.Architecture.HiddenSize);
    }

    private async Task AssertNothingImportedAsync()
    {
        Assert.Empty(await _fixture.Store.ListAsync(CancellationToken.None));
        Assert.Empty(_fixture.StoreFiles());
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need each report in order, on the reporting thread.</summary>
    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
