using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Operations;
using Nlps.Sdk.Storage;
using Nlps.Storage.Database;
using Nlps.Storage.Documents;
using Nlps.Storage.KeyValue;
using Nlps.Storage.Vectors;
using Nlps.Testing;

namespace Nlps.Agents.Translator.Tests.Support;

/// <summary>
/// The translator agent over a real state folder: a SQLite state database for its stores, a data folder, the given
/// configuration and chat model, the fake clock, and loggers that record. <see cref="RestartAsync"/> disposes the agent
/// and starts a new one over the same folder, as a restart of nlpsd would.
/// </summary>
internal sealed class TranslatorUnderTest : IAgentContext, IAsyncDisposable
{
    public const string Id = "nlps.translator";

    private readonly TempFolder folder = new("nlps-translator");
    private readonly StateDatabase database;
    private readonly Meter meter = new("Nlps.Agent.nlps.translator.test");
    private CancellationTokenSource stopping = new();
    private TranslatorAgent? agent;
    private OperationCatalog operations = new();

    private TranslatorUnderTest(FakeTimeProvider time)
    {
        Time = time;
        database = StateDatabase.Open(folder.Combine("nlps.db"), time, NullLogger<StateDatabase>.Instance);
        Store = new KeyValueStoreFactory(database, time).For(Id);
        Documents = new DocumentStoreFactory(database, time).For(Id);
        Vectors = new VectorStoreFactory(database, time).For(Id);
        DataDirectory = folder.Combine("data", Id);
        Directory.CreateDirectory(DataDirectory);
    }

    public FakeTimeProvider Time { get; }

    public IChatClient Chat { get; set; } = new GatedTranslator();

    public RecordingLoggerFactory Logs { get; } = new();

    public string AgentId => Id;

    public string Version => "test";

    public JsonElement Configuration { get; set; } = JsonElement.Parse("{}");

    public string DataDirectory { get; }

    public ILoggerFactory LoggerFactory => Logs;

    public Meter Meter => meter;

    public IKeyValueStore Store { get; }

    public IDocumentStore Documents { get; }

    public IVectorStore Vectors { get; }

    public CancellationToken Stopping => stopping.Token;

    /// <summary>Starts the agent with <paramref name="configuration"/> (JSON) and <paramref name="chat"/>.</summary>
    public static async Task<TranslatorUnderTest> StartAsync(string configuration, IChatClient? chat = null)
    {
        var translator = new TranslatorUnderTest(new FakeTimeProvider()) { Configuration = JsonElement.Parse(configuration) };
        translator.Chat = chat ?? translator.Chat;
        await translator.RestartAsync();
        return translator;
    }

    /// <summary>Stops the running agent, if any, and starts a new one with the current configuration.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        stopping = new CancellationTokenSource();
        var started = new TranslatorAgent(Time);
        await started.InitializeAsync(this, CancellationToken.None);
        operations = new OperationCatalog();
        started.ConfigureOperations(operations);
        agent = started;
    }

    public async Task StopAsync()
    {
        if (agent is not null)
        {
            await stopping.CancelAsync();
            await agent.DisposeAsync();
            agent = null;
        }

        stopping.Dispose();
    }

    /// <summary>Runs a request/response operation with a JSON request, as the appliance's HTTP API would.</summary>
    public async Task<JsonElement> CallAsync(string operation, object request)
    {
        var response = await operations.Operations[operation].InvokeAsync(JsonSerializer.SerializeToUtf8Bytes(request), CancellationToken.None);
        return JsonElement.Parse(Encoding.UTF8.GetString(response));
    }

    /// <summary>The keys of the agent's store that start with <paramref name="prefix"/>.</summary>
    public async Task<List<string>> KeysAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in Store.ListKeysAsync(prefix))
        {
            keys.Add(key);
        }

        return keys;
    }

    public ValueTask<byte[]> CallAgentAsync(string agentId, string operation, ReadOnlyMemory<byte> requestJson, CancellationToken cancellationToken) =>
        throw new AgentOperationException("agent_permission_denied", "the translator calls no other agent", 403);

    public IChatClient GetChatClient(string role = "chat") => Chat;

    public IEmbeddingGenerator<string, Embedding<float>> GetEmbeddingGenerator(string role = "embed") =>
        throw new ModelRoleUnavailableException(role, "no embedding model in these tests");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        meter.Dispose();
        database.Dispose();
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }
}
