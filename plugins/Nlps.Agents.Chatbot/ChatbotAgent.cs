using System.Runtime.CompilerServices;
using Nlps.Agents.Chatbot.Answering;
using Nlps.Agents.Chatbot.Contracts;
using Nlps.Agents.Chatbot.Ingestion;
using Nlps.Agents.Chatbot.Retrieval;
using Nlps.Agents.Chatbot.Support;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Operations;

namespace Nlps.Agents.Chatbot;

/// <summary>The RAG chatbot agent: knowledge bases, ingestion jobs, search and cited answers.</summary>
public sealed class ChatbotAgent : IAgent
{
    private IAgentContext? context;
    private KnowledgeBases? knowledgeBases;
    private IngestionJobs? jobs;
    private Retriever? retriever;
    private Answerer? answerer;

    /// <inheritdoc />
    public async ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = ChatbotOptions.Read(context.Configuration);
        this.context = context;
        knowledgeBases = new KnowledgeBases(context);
        jobs = new IngestionJobs(context, new DocumentIngestor(context, options), TimeProvider.System);
        retriever = new Retriever(context, options, new QueryExpander(context, options));
        answerer = new Answerer(context, options, retriever);
        await jobs.ResumeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void ConfigureOperations(OperationCatalog operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var json = ChatbotJson.Default;
        operations
            .Add("kb_create", json.KnowledgeBaseRequest, json.KnowledgeBaseSummary, CreateAsync)
            .Add("kb_list", json.KnowledgeBaseRequest, json.KnowledgeBaseList, ListAsync)
            .Add("kb_delete", json.KnowledgeBaseRequest, json.DeleteResponse, async (request, ct) => new DeleteResponse(await KnowledgeBases.DeleteAsync(request.Kb, ct)))
            .Add("ingest", json.IngestRequest, json.IngestionJob, IngestAsync)
            .Add("ingest_status", json.JobRequest, json.IngestionJob, (request, ct) => new ValueTask<IngestionJob>(Jobs.GetAsync(request.JobId ?? string.Empty, ct)))
            .Add("ingest_cancel", json.JobRequest, json.IngestionJob, (request, ct) => new ValueTask<IngestionJob>(Jobs.CancelAsync(request.JobId ?? string.Empty, ct)))
            .Add("document_delete", json.DocumentRequest, json.DeleteResponse, DeleteDocumentAsync)
            .Add("search", json.SearchRequest, json.SearchResponse, SearchAsync)
            .Add("ask", json.AskRequest, json.AskResponse, AskAsync)
            .AddStreaming("ask_stream", json.AskRequest, json.AskStreamItem, AskStreamAsync);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (jobs is not null)
        {
            await jobs.DisposeAsync().ConfigureAwait(false);
        }
    }

    private KnowledgeBases KnowledgeBases => knowledgeBases ?? throw new InvalidOperationException("not initialised");

    private IngestionJobs Jobs => jobs ?? throw new InvalidOperationException("not initialised");

    private async ValueTask<KnowledgeBaseSummary> CreateAsync(KnowledgeBaseRequest request, CancellationToken cancellationToken)
    {
        await KnowledgeBases.CreateAsync(request.Kb, cancellationToken);
        return await KnowledgeBases.SummarizeAsync(request.Kb, cancellationToken);
    }

    private async ValueTask<KnowledgeBaseList> ListAsync(KnowledgeBaseRequest request, CancellationToken cancellationToken)
    {
        var summaries = new List<KnowledgeBaseSummary>();
        foreach (var kb in await KnowledgeBases.ListAsync(cancellationToken))
        {
            summaries.Add(await KnowledgeBases.SummarizeAsync(kb, cancellationToken));
        }

        return new KnowledgeBaseList(summaries);
    }

    private async ValueTask<IngestionJob> IngestAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        await KnowledgeBases.RequireAsync(request.Kb, cancellationToken);
        if (request.Documents is null || request.Documents.Count == 0)
        {
            throw new AgentOperationException("no_documents", "the request has no documents");
        }

        var job = await Jobs.StartAsync(request.Kb, request.Documents, cancellationToken);
        return request.Wait ? await Jobs.WaitAsync(job.JobId, cancellationToken) : job;
    }

    private async ValueTask<DeleteResponse> DeleteDocumentAsync(DocumentRequest request, CancellationToken cancellationToken)
    {
        await KnowledgeBases.RequireAsync(request.Kb, cancellationToken);
        return new DeleteResponse(await KnowledgeBases.DeleteDocumentAsync(request.Kb, request.DocumentId, cancellationToken));
    }

    private async ValueTask<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        await KnowledgeBases.RequireAsync(request.Kb, cancellationToken);
        var result = await (retriever ?? throw new InvalidOperationException("not initialised"))
            .SearchAsync(request.Kb, request.Query, request.Mode, request.Limit, request.Expand, cancellationToken);
        return new SearchResponse(request.Kb, result.Mode, result.Passages, result.Notes, result.Expansion);
    }

    private Answerer Answerer => answerer ?? throw new InvalidOperationException("not initialised");

    private async ValueTask<AskResponse> AskAsync(AskRequest request, CancellationToken cancellationToken)
    {
        await KnowledgeBases.RequireAsync(request.Kb, cancellationToken);
        return await Answerer.AskAsync(request, cancellationToken);
    }

    private async IAsyncEnumerable<AskStreamItem> AskStreamAsync(AskRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await KnowledgeBases.RequireAsync(request.Kb, cancellationToken);
        await foreach (var item in Answerer.AskStreamAsync(request, cancellationToken))
        {
            yield return item;
        }
    }
}
