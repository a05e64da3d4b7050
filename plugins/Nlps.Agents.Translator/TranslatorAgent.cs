using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Nlps.Agents.Text.Matching;
using Nlps.Agents.Text.Segmentation;
using Nlps.Agents.Text.Terms;
using Nlps.Agents.Translator.Contracts;
using Nlps.Agents.Translator.Documents;
using Nlps.Agents.Translator.Glossary;
using Nlps.Agents.Translator.Jobs;
using Nlps.Agents.Translator.Memory;
using Nlps.Agents.Text.Storage;
using Nlps.Agents.Translator.Translation;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Operations;

namespace Nlps.Agents.Translator;

/// <summary>
/// The Korean→English financial translator. Glossary and keyword operations work without any model; memory search
/// needs the <c>embed</c> role and translation the <c>chat</c> role, and answer 503 <c>model_unavailable</c> without them.
/// </summary>
public sealed partial class TranslatorAgent : IAgent
{
    private readonly TimeProvider timeProvider;
    private IAgentContext? context;
    private ILogger logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private TranslatorOptions options = new();
    private GlossaryBook? glossary;
    private TranslationMemory? memory;
    private DocumentJobs? jobs;
    private DocumentJobRetention? retention;

    /// <summary>Creates the agent (the appliance uses this constructor).</summary>
    public TranslatorAgent()
        : this(TimeProvider.System)
    {
    }

    internal TranslatorAgent(TimeProvider timeProvider)
    {
        this.timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public async ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        this.context = context;
        logger = context.LoggerFactory.CreateLogger<TranslatorAgent>();
        options = ReadOptions(context.Configuration);
        glossary = new GlossaryBook(new SnapshotStore<GlossaryEntry>(context.Store, "glossary", TranslatorJson.Default.ListGlossaryEntry), options.MaxGlossaryTerms);
        await glossary.LoadAsync(cancellationToken).ConfigureAwait(false);
        memory = new TranslationMemory(context.Store, context.Vectors, timeProvider);
        await memory.LoadAsync(cancellationToken).ConfigureAwait(false);
        jobs = new DocumentJobs(
            context,
            (name, content) => ReadDocument(name, content, options.MaxJobCharacters, "maxJobCharacters"),
            (segments, examples, retry) => StartTranslation(segments, examples, retry),
            timeProvider);
        retention = new DocumentJobRetention(
            jobs,
            TimeSpan.FromHours(options.DocumentJobRetentionHours),
            timeProvider,
            context.LoggerFactory.CreateLogger("Nlps.Agents.Translator.Jobs"),
            context.Stopping);
        await retention.StartAsync().ConfigureAwait(false);
        await jobs.ResumeAsync(cancellationToken).ConfigureAwait(false);
        Log.Loaded(logger, glossary.Current.Count, memory.Count);
    }

    /// <inheritdoc />
    public void ConfigureOperations(OperationCatalog operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var json = TranslatorJson.Default;
        operations
            .Add("glossary_import", json.GlossaryImportRequest, json.GlossaryImportResponse, ImportGlossaryAsync)
            .Add("glossary_list", json.GlossaryListRequest, json.GlossaryListResponse, (request, _) => ValueTask.FromResult(ListGlossary(request)))
            .Add("glossary_add", json.GlossaryEntry, json.GlossaryEntry, async (entry, ct) => await Glossary.AddAsync(CheckEntry(entry), ct).ConfigureAwait(false))
            .Add("glossary_update", json.GlossaryEntry, json.GlossaryEntry, async (entry, ct) => await Glossary.UpdateAsync(CheckEntry(entry), ct).ConfigureAwait(false))
            .Add("glossary_delete", json.GlossaryDeleteRequest, json.GlossaryDeleteResponse, async (request, ct) =>
                new GlossaryDeleteResponse(request.Korean, await Glossary.DeleteAsync(request.Korean ?? string.Empty, ct).ConfigureAwait(false)))
            .Add("extract_keywords", json.ExtractKeywordsRequest, json.ExtractKeywordsResponse, (request, _) => ValueTask.FromResult(ExtractKeywords(request)))
            .Add("memory_import", json.MemoryImportRequest, json.MemoryImportResponse, ImportMemoryAsync)
            .Add("approve", json.ApproveRequest, json.ApproveResponse, ApproveAsync)
            .Add("memory_search", json.MemorySearchRequest, json.MemorySearchResponse, SearchMemoryAsync)
            .Add("translate", json.TranslateRequest, json.TranslateResponse, TranslateAsync)
            .AddStreaming("translate_stream", json.TranslateRequest, json.TranslateStreamItem, TranslateStreamAsync)
            .AddStreaming("translate_document", json.DocumentTranslateRequest, json.DocumentTranslateItem, TranslateDocumentAsync)
            .Add("translate_document_start", json.DocumentTranslateRequest, json.DocumentJob, StartDocumentJobAsync)
            .Add("translate_document_status", json.DocumentJobRequest, json.DocumentJob, async (request, ct) =>
                request.Wait ? await Jobs.WaitAsync(request.JobId, ct).ConfigureAwait(false) : await Jobs.GetAsync(request.JobId, ct).ConfigureAwait(false))
            .Add("translate_document_cancel", json.DocumentJobRequest, json.DocumentJob, async (request, ct) => await Jobs.CancelAsync(request.JobId, ct).ConfigureAwait(false))
            .Add("translate_document_result", json.DocumentJobRequest, json.TranslatedDocument, async (request, ct) => await Jobs.ResultAsync(request.JobId, ct).ConfigureAwait(false))
            .Add("translate_document_delete", json.DocumentJobRequest, json.DocumentJobDeleted, async (request, ct) => await Jobs.DeleteAsync(request.JobId, ct).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (retention is not null)
        {
            await retention.DisposeAsync().ConfigureAwait(false);
        }

        if (jobs is not null)
        {
            await jobs.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IAgentContext Context => context ?? throw new InvalidOperationException("The agent is not initialised.");

    private GlossaryBook Glossary => glossary ?? throw new InvalidOperationException("The agent is not initialised.");

    private TranslationMemory Memory => memory ?? throw new InvalidOperationException("The agent is not initialised.");

    private DocumentJobs Jobs => jobs ?? throw new InvalidOperationException("The agent is not initialised.");

    private static TranslatorOptions ReadOptions(JsonElement configuration)
    {
        TranslatorOptions? read;
        try
        {
            read = configuration.ValueKind == JsonValueKind.Object ? configuration.Deserialize(TranslatorJson.Default.TranslatorOptions) : null;
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"nlps.translator configuration: {ex.Path}: {ex.Message}", ex);
        }

        read ??= new TranslatorOptions();
        return read.Validate() is { } problem ? throw new InvalidOperationException("nlps.translator configuration: " + problem) : read;
    }

    private async ValueTask<GlossaryImportResponse> ImportGlossaryAsync(GlossaryImportRequest request, CancellationToken cancellationToken)
    {
        var replace = request.Mode?.Trim().ToLowerInvariant() switch
        {
            null or "" or "merge" => false,
            "replace" => true,
            _ => throw new AgentOperationException("invalid_mode", $"Unknown mode '{request.Mode}'; use merge or replace."),
        };
        var pairs = ImportContent.Read(request.Format, request.Content, request.ContentBase64, TermFileLimits.Glossary);
        var result = await Glossary.ImportAsync(pairs, replace, cancellationToken).ConfigureAwait(false);
        Log.GlossaryImported(logger, result.Read, result.Added, result.Updated, result.Total);
        return result;
    }

    private GlossaryListResponse ListGlossary(GlossaryListRequest request)
    {
        if (request.Offset < 0 || request.Limit is < 1 or > 10_000)
        {
            throw new AgentOperationException("invalid_page", "offset must be ≥ 0 and limit 1 to 10000.");
        }

        IEnumerable<GlossaryEntry> entries = Glossary.Current.Entries;
        if (!string.IsNullOrWhiteSpace(request.Query))
        {
            var query = request.Query.Trim();
            entries = entries.Where(e => e.Korean.Contains(query, StringComparison.OrdinalIgnoreCase) || e.English.Contains(query, StringComparison.OrdinalIgnoreCase));
        }

        var all = entries.ToList();
        return new GlossaryListResponse(all.Count, request.Offset, [.. all.Skip(request.Offset).Take(request.Limit)]);
    }

    private static GlossaryEntry CheckEntry(GlossaryEntry entry)
    {
        var korean = TextFolding.Nfc(entry.Korean?.Trim() ?? string.Empty);
        var english = TextFolding.Nfc(entry.English?.Trim() ?? string.Empty);
        if (korean.Length == 0 || english.Length == 0)
        {
            throw new AgentOperationException("term_required", "Both korean and english are required.");
        }

        var limits = TermFileLimits.Glossary;
        return korean.Length > limits.MaxSourceLength || english.Length > limits.MaxTargetLength
            ? throw new AgentOperationException("term_too_long", $"A term may have at most {limits.MaxSourceLength} characters and its translation {limits.MaxTargetLength}.")
            : new GlossaryEntry(korean, english, string.IsNullOrWhiteSpace(entry.Note) ? null : entry.Note.Trim());
    }

    private ExtractKeywordsResponse ExtractKeywords(ExtractKeywordsRequest request)
    {
        var text = RequireText(request.Text, options.MaxExtractCharacters, "maxExtractCharacters");
        var index = Glossary.Current;
        if (index.Count == 0)
        {
            throw new AgentOperationException("glossary_empty", "The glossary is empty; import one with glossary_import first.", 409);
        }

        var terms = index.FindKorean(text).Select(m => Found(m, "ko"))
            .Concat(index.FindEnglish(text).Select(m => Found(m, "en")))
            .OrderBy(t => t.Start)
            .ToList();
        return new ExtractKeywordsResponse(terms, terms.Select(t => t.Korean).Distinct(StringComparer.Ordinal).Count());

        FoundTerm Found((GlossaryEntry Entry, TermMatch Match) m, string side) =>
            new(m.Entry.Korean, m.Entry.English, m.Match.Start, m.Match.Length, text.Substring(m.Match.Start, m.Match.SurfaceLength), side);
    }

    private async ValueTask<MemoryImportResponse> ImportMemoryAsync(MemoryImportRequest request, CancellationToken cancellationToken)
    {
        var pairs = ImportContent.Read(request.Format, request.Content, request.ContentBase64, TermFileLimits.TranslationMemory);
        var added = await Memory.AddAsync(pairs, cancellationToken).ConfigureAwait(false);
        return new MemoryImportResponse(added.Count, Memory.Count);
    }

    private async ValueTask<ApproveResponse> ApproveAsync(ApproveRequest request, CancellationToken cancellationToken)
    {
        var source = TextFolding.Nfc(request.Source?.Trim() ?? string.Empty);
        var target = TextFolding.Nfc(request.Translation?.Trim() ?? string.Empty);
        var limits = TermFileLimits.TranslationMemory;
        if (source.Length == 0 || target.Length == 0)
        {
            throw new AgentOperationException("pair_required", "Both source and translation are required.");
        }

        if (source.Length > limits.MaxSourceLength || target.Length > limits.MaxTargetLength)
        {
            throw new AgentOperationException("pair_too_long", $"An approved pair may have at most {limits.MaxSourceLength} source and {limits.MaxTargetLength} target characters; approve it segment by segment.");
        }

        var added = await Memory.AddAsync([new TermPair(source, target, 0)], cancellationToken).ConfigureAwait(false);
        return new ApproveResponse(added[0], Memory.Count);
    }

    private async ValueTask<MemorySearchResponse> SearchMemoryAsync(MemorySearchRequest request, CancellationToken cancellationToken)
    {
        var text = RequireText(request.Text, TermFileLimits.TranslationMemory.MaxSourceLength, "the memory's source limit");
        if (request.K is < 1 or > 50)
        {
            throw new AgentOperationException("invalid_k", "k must be 1 to 50.");
        }

        var generator = Context.GetEmbeddingGenerator("embed");
        return new MemorySearchResponse(await Memory.SearchAsync(generator, text, request.K, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<TranslateResponse> TranslateAsync(TranslateRequest request, CancellationToken cancellationToken)
    {
        var run = StartTranslation(request);
        var done = new List<SegmentTranslation>();
        await foreach (var segment in run.TranslateAsync(run.Segments, cancellationToken).ConfigureAwait(false))
        {
            done.Add(segment);
        }

        return Finish(run, done);
    }

    private async IAsyncEnumerable<TranslateStreamItem> TranslateStreamAsync(TranslateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var run = StartTranslation(request);
        var done = new List<SegmentTranslation>();
        await foreach (var segment in run.TranslateAsync(run.Segments, cancellationToken).ConfigureAwait(false))
        {
            done.Add(segment);
            yield return new TranslateStreamItem("segment", Segment: segment);
        }

        yield return new TranslateStreamItem("summary", Summary: Finish(run, done));
    }

    private async IAsyncEnumerable<DocumentTranslateItem> TranslateDocumentAsync(DocumentTranslateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var document = ReadDocument(request.Name, DecodeDocument(request), options.MaxTranslateCharacters, "maxTranslateCharacters");
        var run = StartTranslation(document.Segments, request.Examples, request.Retry);
        var done = new List<SegmentTranslation>();
        await foreach (var segment in run.TranslateAsync(run.Segments, cancellationToken).ConfigureAwait(false))
        {
            done.Add(segment);
            yield return new DocumentTranslateItem("progress", done.Count, run.Segments.Count);
        }

        var translated = TranslationPipeline.Document(request.Name, document, done, run.MemoryStatus);
        Log.Translated(logger, done.Count, translated.Compliance.Mandated, translated.Compliance.Satisfied);
        yield return new DocumentTranslateItem("document", done.Count, run.Segments.Count, translated);
    }

    // Everything that can refuse a job does so here, synchronously: bad or oversized document, no Korean, no chat model.
    private async ValueTask<DocumentJob> StartDocumentJobAsync(DocumentTranslateRequest request, CancellationToken cancellationToken)
    {
        var content = DecodeDocument(request);
        var document = ReadDocument(request.Name, content, options.MaxJobCharacters, "maxJobCharacters");
        var run = StartTranslation(document.Segments, request.Examples, request.Retry);
        return await Jobs.StartAsync(request.Name, content, document.Segments.Count, run.Examples, run.Retry, cancellationToken).ConfigureAwait(false);
    }

    private byte[] DecodeDocument(DocumentTranslateRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 400)
        {
            throw new AgentOperationException("invalid_document", "name (the file name, 1-400 characters) is required; its extension says the format");
        }

        byte[] content;
        try
        {
            content = Convert.FromBase64String(request.ContentBase64 ?? string.Empty);
        }
        catch (FormatException)
        {
            throw new AgentOperationException("invalid_document", $"{request.Name}: contentBase64 is not valid base64");
        }

        return content.LongLength > options.MaxDocumentBytes
            ? throw new AgentOperationException("document_too_large", $"{request.Name} has {content.LongLength} bytes; the limit (maxDocumentBytes) is {options.MaxDocumentBytes}.", 413)
            : content;
    }

    private TranslatableDocument ReadDocument(string name, byte[] content, int maxCharacters, string limitName)
    {
        TranslatableDocument document;
        try
        {
            document = TranslatableDocument.Read(name, content, options.MaxDocumentBytes * TranslatorOptions.UnpackedFactor);
        }
        catch (DocumentFormatException ex)
        {
            throw new AgentOperationException("invalid_document", ex.Message);
        }
        catch (DocumentTooLargeException ex)
        {
            throw new AgentOperationException("document_too_large", ex.Message, 413);
        }

        if (document.Segments.Count == 0)
        {
            throw new AgentOperationException("document_empty", $"{name} has no Korean text to translate.");
        }

        var characters = document.Segments.Sum(s => s.Text.Length);
        return characters > maxCharacters
            ? throw new AgentOperationException("text_too_long", $"{name} has {characters} characters of Korean text; the limit ({limitName}) is {maxCharacters}. Split it and send the parts.", 413)
            : document;
    }

    private TranslationRun StartTranslation(TranslateRequest request) =>
        StartTranslation(TextSegmenter.Split(RequireText(request.Text, options.MaxTranslateCharacters, "maxTranslateCharacters")), request.Examples, request.Retry);

    // Everything that can refuse the call does so here, before any model work: bad text, no chat model.
    private TranslationRun StartTranslation(IReadOnlyList<TextSegment> segments, int? requestedExamples, bool? retry)
    {
        var examples = requestedExamples ?? options.Examples;
        if (examples is < 0 or > 20)
        {
            throw new AgentOperationException("invalid_examples", "examples must be 0 to 20.");
        }

        var chat = Context.GetChatClient("chat");
        IEmbeddingGenerator<string, Embedding<float>>? embed = null;
        string memoryStatus;
        if (examples == 0)
        {
            memoryStatus = "off";
        }
        else if (Memory.Count == 0)
        {
            memoryStatus = "empty";
        }
        else
        {
            try
            {
                embed = Context.GetEmbeddingGenerator("embed");
                memoryStatus = "used";
            }
            catch (ModelRoleUnavailableException ex)
            {
                // Examples improve a translation but are not needed for one: go on without them and say so.
                Log.MemoryUnavailable(logger, ex.Message);
                memoryStatus = "model_unavailable";
            }
        }

        var pipeline = new TranslationPipeline(Glossary.Current, Memory, options.BatchSize);
        return new TranslationRun(segments, pipeline, chat, embed, examples, retry ?? options.RetryNonCompliant, memoryStatus);
    }

    private TranslateResponse Finish(TranslationRun run, List<SegmentTranslation> done)
    {
        var response = TranslationPipeline.Summarize(run.Segments, done, run.MemoryStatus);
        Log.Translated(logger, done.Count, response.Compliance.Mandated, response.Compliance.Satisfied);
        return response;
    }

    private static string RequireText(string? text, int limit, string limitName)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new AgentOperationException("text_required", "The text is empty.");
        }

        return text.Length > limit
            ? throw new AgentOperationException("text_too_long", $"The text has {text.Length} characters; the limit ({limitName}) is {limit}. Split it and send the parts.", 413)
            : TextFolding.Nfc(text);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Translator ready: {Terms} glossary terms, {Pairs} translation-memory pairs", EventName = "TranslatorLoaded")]
        public static partial void Loaded(ILogger logger, int terms, int pairs);

        [LoggerMessage(2, LogLevel.Information, "Glossary import: {Read} read, {Added} added, {Updated} updated, {Total} in total", EventName = "GlossaryImported")]
        public static partial void GlossaryImported(ILogger logger, int read, int added, int updated, int total);

        [LoggerMessage(3, LogLevel.Warning, "Translating without memory examples: {Reason}", EventName = "MemoryUnavailable")]
        public static partial void MemoryUnavailable(ILogger logger, string reason);

        [LoggerMessage(4, LogLevel.Debug, "Translated {Segments} segments; {Satisfied} of {Mandated} mandated terms used", EventName = "Translated")]
        public static partial void Translated(ILogger logger, int segments, int mandated, int satisfied);
    }
}
