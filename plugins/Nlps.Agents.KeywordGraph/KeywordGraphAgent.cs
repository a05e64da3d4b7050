using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Nlps.Agents.KeywordGraph.Contracts;
using Nlps.Agents.KeywordGraph.Extraction;
using Nlps.Agents.KeywordGraph.Graph;
using Nlps.Agents.Text.Matching;
using Nlps.Agents.Text.Segmentation;
using Nlps.Agents.Text.Storage;
using Nlps.Agents.Text.Terms;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Operations;
using Nlps.Sdk.Storage;

namespace Nlps.Agents.KeywordGraph;

/// <summary>
/// The keyword graph for the customs chatbot. Dictionary and statistical extraction, ingestion into a co-occurrence
/// graph and every query work without a model; <c>useModel</c> adds the chat model's keywords and typed relations and
/// answers 503 <c>model_unavailable</c> when no chat model is deployed. Each document is one key (<c>doc/{id}</c>)
/// holding its passages' keyword sets, so the graph is rebuilt from the store at start and a document can be replaced.
/// </summary>
public sealed partial class KeywordGraphAgent : IAgent
{
    private const string DocumentPrefix = "doc/";
    private static readonly ChatOptions Deterministic = new() { Temperature = 0f };

    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly Lock graphLock = new();
    private readonly CooccurrenceGraph graph = new();
    private IAgentContext? context;
    private ILogger logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private KeywordGraphOptions options = new();
    private SnapshotStore<DictionaryTerm>? dictionaryStore;
    private long dictionaryGeneration;
    private KeywordExtractor extractor = new([]);

    /// <inheritdoc />
    public async ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        this.context = context;
        logger = context.LoggerFactory.CreateLogger<KeywordGraphAgent>();
        options = ReadOptions(context.Configuration);
        dictionaryStore = new SnapshotStore<DictionaryTerm>(context.Store, "dictionary", KeywordGraphJson.Default.ListDictionaryTerm);
        var (terms, generation) = await dictionaryStore.LoadAsync(cancellationToken).ConfigureAwait(false);
        dictionaryGeneration = generation;
        extractor = new KeywordExtractor([.. terms.Select(t => t.Term)]);

        var keys = new List<string>();
        await foreach (var key in context.Store.ListKeysAsync(DocumentPrefix, cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key);
        }

        foreach (var key in keys)
        {
            if (await context.Store.GetJsonAsync(key, KeywordGraphJson.Default.StoredDocument, cancellationToken).ConfigureAwait(false) is { } document)
            {
                graph.Put(document);
            }
        }

        Log.Loaded(logger, terms.Count, graph.Documents, graph.Passages);
    }

    /// <inheritdoc />
    public void ConfigureOperations(OperationCatalog operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var json = KeywordGraphJson.Default;
        operations
            .Add("dictionary_import", json.DictionaryImportRequest, json.DictionaryImportResponse, ImportDictionaryAsync)
            .Add("extract", json.ExtractRequest, json.ExtractResponse, ExtractAsync)
            .Add("ingest", json.IngestRequest, json.IngestResponse, IngestAsync)
            .Add("neighbours", json.NeighboursRequest, json.NeighboursResponse, (request, _) => ValueTask.FromResult(Neighbours(request)))
            .Add("path", json.PathRequest, json.PathResponse, (request, _) => ValueTask.FromResult(Path(request)))
            .Add("related", json.RelatedRequest, json.RelatedResponse, (request, _) => ValueTask.FromResult(Related(request)))
            .Add("export", json.ExportRequest, json.ExportResponse, (request, _) => ValueTask.FromResult(Export(request)));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private IAgentContext Context => context ?? throw new InvalidOperationException("The agent is not initialised.");

    private static KeywordGraphOptions ReadOptions(JsonElement configuration)
    {
        KeywordGraphOptions? read;
        try
        {
            read = configuration.ValueKind == JsonValueKind.Object ? configuration.Deserialize(KeywordGraphJson.Default.KeywordGraphOptions) : null;
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"nlps.keyword-graph configuration: {ex.Path}: {ex.Message}", ex);
        }

        read ??= new KeywordGraphOptions();
        return read.Validate() is { } problem ? throw new InvalidOperationException("nlps.keyword-graph configuration: " + problem) : read;
    }

    private async ValueTask<DictionaryImportResponse> ImportDictionaryAsync(DictionaryImportRequest request, CancellationToken cancellationToken)
    {
        var format = request.Format?.Trim().ToLowerInvariant() switch
        {
            "json" => TermFileFormat.Json,
            "tsv" => TermFileFormat.Tsv,
            "xlsx" => TermFileFormat.Xlsx,
            _ => throw new AgentOperationException("invalid_format", $"Unknown format '{request.Format}'; use json, tsv or xlsx."),
        };
        byte[] bytes;
        try
        {
            bytes = !string.IsNullOrEmpty(request.ContentBase64) ? Convert.FromBase64String(request.ContentBase64)
                : !string.IsNullOrEmpty(request.Content) && format != TermFileFormat.Xlsx ? Encoding.UTF8.GetBytes(request.Content)
                : throw new AgentOperationException("content_required", "Send the file as content (text) or contentBase64 (xlsx).");
        }
        catch (FormatException)
        {
            throw new AgentOperationException("invalid_base64", "contentBase64 is not valid base64.");
        }

        IReadOnlyList<TermPair> pairs;
        try
        {
            pairs = TermFileReader.Read(bytes, format, TermFileLimits.Glossary);
        }
        catch (TermFileException ex)
        {
            throw new AgentOperationException("import_invalid", $"Nothing was imported: {ex.Message}");
        }

        if (pairs.Count == 0)
        {
            throw new AgentOperationException("import_empty", "The file holds no entries; nothing was imported.");
        }

        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var terms = pairs.Select(p => new DictionaryTerm(p.Source, p.Target)).ToList();
            dictionaryGeneration = await dictionaryStore!.SaveAsync(terms, dictionaryGeneration, cancellationToken).ConfigureAwait(false);
            extractor = new KeywordExtractor([.. terms.Select(t => t.Term)]);
            return new DictionaryImportResponse(terms.Count);
        }
        finally
        {
            writeGate.Release();
        }
    }

    private async ValueTask<ExtractResponse> ExtractAsync(ExtractRequest request, CancellationToken cancellationToken)
    {
        var text = RequireText(request.Text);
        if (request.Top is < 1 or > 200)
        {
            throw new AgentOperationException("invalid_top", "top must be 1 to 200.");
        }

        IReadOnlyList<string>? modelKeywords = null;
        var llm = "off";
        if (request.UseModel)
        {
            var chat = Context.GetChatClient("chat");
            modelKeywords = await ModelKeywordsAsync(chat, text, cancellationToken).ConfigureAwait(false);
            llm = modelKeywords is null ? "invalid_output" : "used";
        }

        var keywords = extractor.Extract(text, request.Top, modelKeywords);
        return new ExtractResponse([.. keywords.Select(k => new RankedKeyword(k.Keyword, k.Score, [.. k.Methods]))], llm);
    }

    private async ValueTask<IngestResponse> IngestAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        if (request.Documents is null || request.Documents.Count == 0)
        {
            throw new AgentOperationException("documents_required", "Send at least one document.");
        }

        foreach (var document in request.Documents)
        {
            if (string.IsNullOrWhiteSpace(document.Id) || document.Id.Length > 200)
            {
                throw new AgentOperationException("invalid_document_id", "Every document needs an id of 1 to 200 characters.");
            }

            RequireText(document.Text);
        }

        // Refuse before doing any work when the model is asked for and missing.
        var chat = request.UseModel ? Context.GetChatClient("chat") : null;
        var relationTypes = options.RelationTypes.Select(TextFolding.FoldTerm).ToHashSet(StringComparer.Ordinal);
        var rejected = 0;
        var stored = new List<StoredDocument>();
        foreach (var document in request.Documents)
        {
            var passages = new List<IReadOnlyList<string>>();
            var relations = new List<KeywordRelation>();
            foreach (var passage in Passages(TextFolding.Nfc(document.Text)))
            {
                var keywords = extractor.Extract(passage, options.KeywordsPerPassage).Select(k => k.Keyword).ToList();
                passages.Add(keywords);
                if (chat is not null && keywords.Count >= 2)
                {
                    var reply = await chat.GetResponseAsync(RelationPrompt(passage, keywords), Deterministic, cancellationToken).ConfigureAwait(false);
                    var read = ModelJsonReader.Relations(reply.Text, keywords.ToHashSet(StringComparer.Ordinal), relationTypes);
                    relations.AddRange(read?.Accepted ?? []);
                    rejected += read?.Rejected ?? 1;
                }
            }

            stored.Add(new StoredDocument(document.Id.Trim(), passages, relations));
        }

        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var document in stored)
            {
                await Context.Store.SetJsonAsync(DocumentPrefix + document.Id, document, KeywordGraphJson.Default.StoredDocument, cancellationToken).ConfigureAwait(false);
                lock (graphLock)
                {
                    graph.Put(document);
                }
            }
        }
        finally
        {
            writeGate.Release();
        }

        lock (graphLock)
        {
            Log.Ingested(logger, stored.Count, graph.Documents, graph.Passages);
            return new IngestResponse(graph.Documents, graph.Passages, graph.Nodes, graph.Edges, graph.Relations, rejected);
        }
    }

    private NeighboursResponse Neighbours(NeighboursRequest request)
    {
        var keyword = RequireKeyword(request.Keyword);
        CheckLimit(request.Limit, 1000);
        lock (graphLock)
        {
            return new NeighboursResponse(keyword, graph.Frequency(keyword), graph.Neighbours(keyword, request.Limit), graph.RelationsOf(keyword));
        }
    }

    private PathResponse Path(PathRequest request)
    {
        var from = RequireKeyword(request.From);
        var to = RequireKeyword(request.To);
        if (request.MaxHops is < 1 or > 20)
        {
            throw new AgentOperationException("invalid_max_hops", "maxHops must be 1 to 20.");
        }

        lock (graphLock)
        {
            var path = graph.ShortestPath(from, to, request.MaxHops);
            return new PathResponse(path.Count > 0, path);
        }
    }

    private RelatedResponse Related(RelatedRequest request)
    {
        var text = RequireText(request.Text);
        CheckLimit(request.Limit, 1000);
        var candidates = extractor.Extract(text, 20).Select(k => k.Keyword).ToList();
        lock (graphLock)
        {
            var seeds = candidates.Where(graph.Contains).ToList();
            return new RelatedResponse(seeds, graph.Related(seeds, request.Limit));
        }
    }

    private ExportResponse Export(ExportRequest request)
    {
        var keyword = RequireKeyword(request.Keyword);
        CheckLimit(request.Limit, 5000);
        if (request.Depth is < 1 or > 3)
        {
            throw new AgentOperationException("invalid_depth", "depth must be 1 to 3.");
        }

        (IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges) subgraph;
        lock (graphLock)
        {
            subgraph = graph.Subgraph(keyword, request.Depth, request.Limit);
        }

        return subgraph.Nodes.Count == 0
            ? throw new AgentOperationException("keyword_not_found", $"'{keyword}' is not in the graph.", 404)
            : new ExportResponse(subgraph.Nodes, subgraph.Edges, GraphMlWriter.Write(subgraph.Nodes, subgraph.Edges));
    }

    // Whole sentences grouped up to about PassageCharacters; a paragraph break always ends a passage.
    private IEnumerable<string> Passages(string text)
    {
        var current = new StringBuilder();
        foreach (var segment in TextSegmenter.Split(text))
        {
            if (current.Length > 0 && current.Length + segment.Text.Length > options.PassageCharacters)
            {
                yield return current.ToString();
                current.Clear();
            }

            current.Append(segment.Text).Append(segment.Separator == "\n\n" ? "\n" : " ");
            if (segment.Separator == "\n\n")
            {
                yield return current.ToString();
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private static async Task<IReadOnlyList<string>?> ModelKeywordsAsync(IChatClient chat, string text, CancellationToken cancellationToken)
    {
        List<ChatMessage> prompt =
        [
            new(ChatRole.System, "You extract keywords (domain terms, names, concepts) from Korean or English text. Answer with JSON only: {\"keywords\": [\"...\"]}. Every keyword must appear in the text as written, without particles."),
            new(ChatRole.User, text),
        ];
        var reply = await chat.GetResponseAsync(prompt, Deterministic, cancellationToken).ConfigureAwait(false);
        return ModelJsonReader.Keywords(reply.Text, text);
    }

    private List<ChatMessage> RelationPrompt(string passage, IReadOnlyList<string> keywords) =>
    [
        new(ChatRole.System,
            "You find relations between given keywords in a passage. Answer with JSON only: " +
            "{\"relations\": [{\"subject\": \"...\", \"relation\": \"...\", \"object\": \"...\"}]}. " +
            "subject and object must be keywords from the list; relation must be one of: " + string.Join(", ", options.RelationTypes) + ". " +
            options.RelationGuidelines),
        new(ChatRole.User, "Keywords: " + string.Join(", ", keywords) + "\nPassage:\n" + passage),
    ];

    private string RequireText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new AgentOperationException("text_required", "The text is empty.");
        }

        return text.Length > options.MaxTextCharacters
            ? throw new AgentOperationException("text_too_long", $"The text has {text.Length} characters; the limit (maxTextCharacters) is {options.MaxTextCharacters}. Split it into documents.", 413)
            : TextFolding.Nfc(text);
    }

    private static string RequireKeyword(string? keyword) =>
        string.IsNullOrWhiteSpace(keyword) ? throw new AgentOperationException("keyword_required", "Name a keyword.") : TextFolding.FoldTerm(keyword);

    private static void CheckLimit(int limit, int max)
    {
        if (limit < 1 || limit > max)
        {
            throw new AgentOperationException("invalid_limit", $"limit must be 1 to {max}.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Keyword graph ready: {Terms} dictionary terms, {Documents} documents, {Passages} passages", EventName = "KeywordGraphLoaded")]
        public static partial void Loaded(ILogger logger, int terms, int documents, int passages);

        [LoggerMessage(2, LogLevel.Information, "Ingested {Count} documents; the graph has {Documents} documents, {Passages} passages", EventName = "KeywordGraphIngested")]
        public static partial void Ingested(ILogger logger, int count, int documents, int passages);
    }
}
