namespace Nlps.Agents.Chatbot.Contracts;

/// <summary>One uploaded file: its name (with extension, used as the document id) and its bytes in base64.</summary>
public sealed record UploadedDocument(string Name, string ContentBase64);

/// <summary>Starts ingestion of <paramref name="Documents"/> into <paramref name="Kb"/>; with <paramref name="Wait"/> the call returns when the job is done.</summary>
public sealed record IngestRequest(string Kb, IReadOnlyList<UploadedDocument> Documents, bool Wait = false);

/// <summary>Names an ingestion job.</summary>
public sealed record JobRequest(string JobId);

/// <summary>What happened to one document of a job.</summary>
/// <param name="DocumentId">The document's id (its file name).</param>
/// <param name="Status">pending, ingested, skipped (unchanged content) or failed.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Passages">How many parent passages it produced.</param>
/// <param name="Chunks">How many retrieval chunks it produced.</param>
public sealed record JobItem(string DocumentId, string Status, string? Error = null, int Passages = 0, int Chunks = 0);

/// <summary>An ingestion job: progress while it runs, the report when it is done.</summary>
/// <param name="JobId">The job id.</param>
/// <param name="Kb">The knowledge base.</param>
/// <param name="State">running, completed or cancelled.</param>
/// <param name="Total">How many documents the job has.</param>
/// <param name="Processed">How many are done (ingested, skipped or failed).</param>
/// <param name="Items">Each document's outcome.</param>
/// <param name="Notes">Job-wide remarks, e.g. that the dense index was skipped because no embedding model is deployed.</param>
public sealed record IngestionJob(string JobId, string Kb, string State, int Total, int Processed, IReadOnlyList<JobItem> Items, IReadOnlyList<string> Notes)
{
    /// <summary>How many documents were ingested.</summary>
    public int Ingested => Items.Count(i => i.Status == JobItemStatus.Ingested);

    /// <summary>How many were skipped as unchanged.</summary>
    public int Skipped => Items.Count(i => i.Status == JobItemStatus.Skipped);

    /// <summary>How many failed.</summary>
    public int Failed => Items.Count(i => i.Status == JobItemStatus.Failed);
}

/// <summary>The statuses of a <see cref="JobItem"/>.</summary>
public static class JobItemStatus
{
    public const string Pending = "pending";
    public const string Ingested = "ingested";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
}
