using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nlps.Inference.Embeddings;
using Nlps.Models.Store;
using Nlps.Storage.Database;
using Nlps.Storage.Models;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Daemon.Tests.Engines;

/// <summary>
/// nlpsd with a vLLM deployment on the simulated 4× L40S box. The configured "vllm" is a shim that records the
/// command line nlpsd built and then serves the model with <c>nlpsd engine serve</c>, so the whole path runs for
/// real here: planner → command line → supervised process → relay through nlpsd's OpenAI-compatible API.
/// </summary>
public sealed class VllmDeploymentEndToEndTests : IDisposable
{
    private const string ModelId = "tiny-llama";
    private readonly TinyModel _model = TinyModel.Create(TinyModelSpec.Llama3);
    private readonly TempFolder _folder = new("nlpsd-vllm");

    [Fact]
    public async Task A_vllm_deployment_is_started_from_its_placement_and_answers_through_nlpsd()
    {
        string state = _folder.Combine("state");
        await ImportAsync(state, _model.Folder, ModelId);
        string shim = WriteShim();
        await using NlpsdProcess nlpsd = await NlpsdProcess.StartAsync(
            state,
            "--Hardware:SimulatedBoxFolder=" + Path.Combine(RepositoryPaths.Root, "tests", "Nlps.Hardware.Tests", "Fixtures", "l40s-4x"),
            "--Models:Engines:Vllm:Executable=" + shim,
            "--Models:Engines:Vllm:ExtraArguments:0=--enforce-eager",
            "--Models:Engines:Vllm:Supervision:HealthPollInterval=00:00:00.100",
            "--Models:Deployments:gpu-chat:Engine=vllm",
            "--Models:Deployments:gpu-chat:Model=" + ModelId,
            "--Models:Deployments:gpu-chat:Roles:0=chat");
        using HttpClient client = nlpsd.CreateAdminClient();

        using HttpResponseMessage response = await client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "gpu-chat",
            messages = new[] { new { role = "user", content = "삼성전자 실적 요약" } },
            temperature = 0,
            max_tokens = 3,
            ignore_eos = true,
        });
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var answer = JsonDocument.Parse(body))
        {
            Assert.Equal(3, answer.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        }

        string[] recorded = await File.ReadAllLinesAsync(shim + ".args");
        string folder = Path.Combine(state, "models", ModelId);
        Assert.Equal("CUDA_VISIBLE_DEVICES=0", recorded[0]);
        Assert.Equal(["serve", folder, "--host", "127.0.0.1", "--port"], recorded[1..6]);
        Assert.Equal(["--served-model-name", "gpu-chat", "--tensor-parallel-size", "1", "--gpu-memory-utilization"], recorded[7..12]);
        Assert.Equal(["--max-model-len", "256", "--max-num-seqs", "2", "--dtype", "float32", "--enforce-eager"], recorded[13..]);
        Assert.InRange(double.Parse(recorded[12], System.Globalization.CultureInfo.InvariantCulture), 0.05, 0.1);
        Assert.Contains("vLLM: CUDA_VISIBLE_DEVICES=0 VLLM_NO_USAGE_STATS=1 " + shim + " serve " + folder, nlpsd.Output, StringComparison.Ordinal);
        Assert.Contains("gpu-chat stdout:", nlpsd.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vllm_encoder_deployment_runs_the_pooling_runner_and_serves_embeddings_through_nlpsd()
    {
        using var encoder = TinyEncoder.Create(new TinyEncoderSpec());
        string state = _folder.Combine("state");
        await ImportAsync(state, encoder.Folder, "tiny-encoder");
        string shim = WriteShim();
        await using NlpsdProcess nlpsd = await NlpsdProcess.StartAsync(
            state,
            "--Hardware:SimulatedBoxFolder=" + Path.Combine(RepositoryPaths.Root, "tests", "Nlps.Hardware.Tests", "Fixtures", "l40s-4x"),
            "--Models:Engines:Vllm:Executable=" + shim,
            "--Models:Engines:Vllm:Supervision:HealthPollInterval=00:00:00.100",
            "--Models:Deployments:gpu-embed:Engine=vllm",
            "--Models:Deployments:gpu-embed:Model=tiny-encoder",
            "--Models:Deployments:gpu-embed:Embedding:PassagePrefix=passage: ",
            "--Models:Deployments:gpu-embed:Roles:0=embed");
        using HttpClient client = nlpsd.CreateAdminClient();

        using HttpResponseMessage response = await client.PostAsJsonAsync("/v1/embeddings", new { model = "gpu-embed", input = new[] { "the passage", "query" }, input_type = "passage" });
        string body = await response.Content.ReadAsStringAsync();
        using HttpResponseMessage chat = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "gpu-embed", messages = new[] { new { role = "user", content = "hi" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var local = EncoderEmbeddingModel.Load(encoder.Folder);
        IReadOnlyList<float[]> expected = local.Embed(["the passage", "query"], "passage: ", CancellationToken.None).Vectors;
        using (var answer = JsonDocument.Parse(body))
        {
            JsonElement[] data = answer.RootElement.GetProperty("data").EnumerateArray().ToArray();
            Assert.Equal(2, data.Length);
            for (int i = 0; i < data.Length; i++)
            {
                EngineFixtures.AssertVectorsClose(expected[i], data[i].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray());
            }
        }

        Assert.Equal(HttpStatusCode.BadRequest, chat.StatusCode);
        string[] recorded = await File.ReadAllLinesAsync(shim + ".args");
        Assert.Equal(["--runner", "pooling"], recorded.SkipWhile(a => a != "--runner").Take(2));
    }

    public void Dispose()
    {
        _model.Dispose();
        _folder.Dispose();
    }

    private static async Task ImportAsync(string state, string modelFolder, string modelId)
    {
        Directory.CreateDirectory(state);
        var database = StateDatabase.Open(Path.Combine(state, "nlps.db"), TimeProvider.System, NullLogger<StateDatabase>.Instance);
        try
        {
            var store = new ModelStore(Options.Create(new ModelStoreOptions { Directory = Path.Combine(state, "models") }), new ModelCatalog(database));
            await store.ImportAsync(modelFolder, modelId, progress: null, CancellationToken.None);
        }
        finally
        {
            database.Dispose();
            SqliteConnection.ClearAllPools();
        }
    }

    // Records its arguments next to itself, then serves the model folder on the port with the built-in engine.
    private string WriteShim()
    {
        string path = _folder.Combine("vllm");
        File.WriteAllText(path, $$"""
            #!/bin/sh
            printf '%s\n' "CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES" "$@" > "$0.args"
            model="$2"; shift 2
            while [ $# -gt 0 ]; do
              case "$1" in
                --port) port="$2"; shift 2 ;;
                --served-model-name) name="$2"; shift 2 ;;
                *) shift ;;
              esac
            done
            exec dotnet '{{RepositoryPaths.Nlpsd}}' engine serve --model "$model" --port "$port" --served-model-name "$name" --threads 1
            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
