namespace Nlps.Agents.Translator.Contracts;

/// <summary>Names a document translation job; with <paramref name="Wait"/> the status call answers when the job has stopped running (bounded by the operation timeout).</summary>
public sealed record DocumentJobRequest(string JobId, bool Wait = false);

/// <summary>
/// A document translation job as stored after every segment: <c>running</c>, <c>completed</c>, <c>cancelled</c> or
/// <c>failed</c> (with <paramref name="Error"/>). Starting the same document with the same options again resumes a
/// cancelled or failed job (same id); segments already translated are kept. A finished job is removed some time after
/// it finished (the agent's <c>documentJobRetentionHours</c>); its id then answers <c>job_not_found</c>.
/// </summary>
/// <param name="JobId">The job's id.</param>
/// <param name="Name">The document's file name.</param>
/// <param name="State">running, completed, cancelled or failed.</param>
/// <param name="Total">Segments to translate.</param>
/// <param name="Processed">Segments translated and stored.</param>
/// <param name="Examples">Translation-memory examples per segment.</param>
/// <param name="Retry">Whether non-compliant segments get one constrained retry.</param>
/// <param name="Memory">Memory use of the latest run: "used", "empty", "off" or "model_unavailable"; null before it starts.</param>
/// <param name="Error">Why the job failed; null otherwise.</param>
/// <param name="Sha256">The document's SHA-256.</param>
/// <param name="Created">When the job was created.</param>
/// <param name="Finished">When it last stopped (completed, cancelled or failed); null while it runs. Finished jobs are removed with their results <c>documentJobRetentionHours</c> later.</param>
public sealed record DocumentJob(
    string JobId,
    string Name,
    string State,
    int Total,
    int Processed,
    int Examples,
    bool Retry,
    string? Memory,
    string? Error,
    string Sha256,
    DateTimeOffset Created,
    DateTimeOffset? Finished = null);

/// <summary>What <c>translate_document_delete</c> removed.</summary>
public sealed record DocumentJobDeleted(string JobId, bool Deleted);
