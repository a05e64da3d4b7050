using System.CommandLine;
using System.Text.Json;
using Nlps.Cli.Client;
using Nlps.Cli.Output;

namespace Nlps.Cli.Commands;

/// <summary><c>nlpsctl models list|import|remove|verify</c>: the appliance's model store (LoRA adapters listed under their base). Import and verify show a progress bar; Ctrl+C cancels (an import resumes when started again).</summary>
internal static class ModelCommands
{
    public static Command Create(GlobalOptions global)
    {
        var models = new Command("models", "Manage the models stored on the appliance");

        var list = new Command("list", "List stored models");
        list.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            JsonElement body = await client.GetAsync("/v1/admin/models", ct);
            if (result.GetValue(global.Json))
            {
                Console.WriteLine(JsonOutput.Format(body));
                return 0;
            }

            Table.Write(Console.Out, ["ID", "TYPE", "TASK", "DTYPE", "PARAMETERS", "SIZE", "VERIFIED"], body.EnumerateArray().SelectMany(m => AdapterRows.For(m).Prepend(new[]
            {
                m.GetProperty("id").GetString()!,
                m.GetProperty("modelType").GetString()!,
                m.GetProperty("task").GetString()!,
                m.TryGetProperty("dtype", out JsonElement dtype) ? dtype.GetString()! : "-",
                m.GetProperty("parameterCount").GetInt64().ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                ByteSize.Format(m.GetProperty("totalBytes").GetInt64()),
                m.TryGetProperty("verifyProblem", out JsonElement problem) ? $"FAILED: {problem.GetString()}" : m.TryGetProperty("verifiedAt", out JsonElement at) ? at.GetString()! : "never",
            })));
            return 0;
        }));
        models.Subcommands.Add(list);

        var folder = new Argument<DirectoryInfo>("folder") { Description = "A Hugging Face model folder on the appliance (config.json, tokenizer.json, *.safetensors), a .gguf file, or a PEFT LoRA adapter folder (adapter_config.json, adapter_model.safetensors)" };
        var id = new Option<string?>("--id") { Description = "Store it under this id, or an adapter under this name (default: the folder's name, or the file's without .gguf)" };
        var baseModel = new Option<string?>("--base") { Description = "For an adapter: the stored model it adapts (default: the one adapter_config.json names)" };
        var import = new Command("import", "Copy a model folder or GGUF file (or a LoRA adapter onto a stored model) into the store, checking every file's SHA-256") { folder, id, baseModel };
        import.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            string json = JsonSerializer.Serialize(new Dictionary<string, string?> { ["path"] = result.GetValue(folder)!.FullName, ["id"] = result.GetValue(id), ["base"] = result.GetValue(baseModel) });
            JsonElement job = await client.PostJsonAsync("/v1/admin/models/import", json, ct);
            return await FollowAsync(result, global, client, job, ct);
        }));
        models.Subcommands.Add(import);

        var verifyId = new Argument<string>("id") { Description = "The model id" };
        var verify = new Command("verify", "Re-read a stored model and compare every file with its manifest") { verifyId };
        verify.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            JsonElement job = await client.PostAsync($"/v1/admin/models/{Uri.EscapeDataString(result.GetValue(verifyId)!)}/verify", ct);
            return await FollowAsync(result, global, client, job, ct);
        }));
        models.Subcommands.Add(verify);

        var removeId = new Argument<string>("id") { Description = "The model id" };
        var adapter = new Option<string?>("--adapter") { Description = "Remove only this LoRA adapter of the model" };
        var force = new Option<bool>("--force") { Description = "Remove a model that has adapters, adapters included" };
        var remove = new Command("remove", "Delete a stored model, or one of its adapters") { removeId, adapter, force };
        remove.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            string modelId = result.GetValue(removeId)!;
            string? adapterName = result.GetValue(adapter);
            string removed = adapterName is null ? modelId : $"{modelId}:{adapterName}";
            await client.DeleteAsync(
                adapterName is null
                    ? $"/v1/admin/models/{Uri.EscapeDataString(modelId)}{(result.GetValue(force) ? "?force=true" : string.Empty)}"
                    : $"/v1/admin/models/{Uri.EscapeDataString(modelId)}/adapters/{Uri.EscapeDataString(adapterName)}",
                ct);
            Console.WriteLine(result.GetValue(global.Json) ? JsonSerializer.Serialize(new Dictionary<string, string> { ["removed"] = removed }) : $"removed {removed}");
            return 0;
        }));
        models.Subcommands.Add(remove);
        models.Subcommands.Add(ConvertModelCommand.Create(global));
        return models;
    }

    // Polls the job (long-polling a second at a time) and draws one bar per phase until it ends.
    internal static async Task<int> FollowAsync(ParseResult result, GlobalOptions global, AdminClient client, JsonElement job, CancellationToken cancellationToken)
    {
        string jobId = job.GetProperty("id").GetString()!;
        string? phase = null;
        ProgressBar? bar = null;
        try
        {
            while (job.GetProperty("state").GetString() == "Running")
            {
                string? now = job.TryGetProperty("phase", out JsonElement p) ? p.GetString() : null;
                long total = job.GetProperty("bytesTotal").GetInt64();
                if (now != phase && total > 0)
                {
                    bar?.Complete();
                    bar = ProgressBar.ForConsole(now!.ToLowerInvariant(), total);
                    phase = now;
                }

                bar?.Report(job.GetProperty("bytesDone").GetInt64());
                job = await client.GetAsync($"/v1/admin/models/jobs/{jobId}?waitSeconds=1", cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            using var cancelClient = global.Connect(result);
            await cancelClient.DeleteAsync($"/v1/admin/models/jobs/{jobId}", CancellationToken.None);
            await Console.Error.WriteLineAsync($"cancelled job {jobId}; run the same import again to resume");
            return 130;
        }

        if (bar is not null && job.GetProperty("state").GetString() == "Succeeded")
        {
            bar.Complete();
        }

        if (result.GetValue(global.Json))
        {
            Console.WriteLine(JsonOutput.Format(job));
        }

        return Summarize(job);
    }

    internal static int Summarize(JsonElement job)
    {
        string state = job.GetProperty("state").GetString()!;
        string modelId = job.GetProperty("modelId").GetString()!;
        if (state == "Failed")
        {
            Console.Error.WriteLine($"error: {job.GetProperty("errorCode").GetString()}: {job.GetProperty("error").GetString()}");
            return 1;
        }

        if (state == "Cancelled")
        {
            Console.Error.WriteLine($"cancelled: {job.GetProperty("error").GetString()}");
            return 130;
        }

        if (job.TryGetProperty("verification", out JsonElement report))
        {
            foreach (JsonElement problem in report.GetProperty("problems").EnumerateArray())
            {
                Console.Error.WriteLine($"FAILED {problem.GetProperty("path").GetString()}: {problem.GetProperty("problem").GetString()}");
            }

            bool ok = report.GetProperty("ok").GetBoolean();
            Console.Error.WriteLine(ok ? $"{modelId}: every file matches its manifest" : $"{modelId}: verification failed");
            return ok ? 0 : 1;
        }

        Console.Error.WriteLine($"imported {modelId}");
        return 0;
    }
}
