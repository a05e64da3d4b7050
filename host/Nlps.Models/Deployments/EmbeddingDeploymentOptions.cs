namespace Nlps.Models.Deployments;

/// <summary>
/// Settings of a deployment whose model is an encoder (<c>Models:Deployments:&lt;name&gt;:Embedding</c>). Examples:
/// multilingual-e5 with <c>QueryPrefix = "query: "</c> and <c>PassagePrefix = "passage: "</c>; a DPR pair with
/// <c>Model</c> the context (passage) encoder and <c>QueryModel</c> the question encoder.
/// </summary>
public sealed class EmbeddingDeploymentOptions
{
    /// <summary>A stored model that encodes queries while <c>Model</c> encodes passages (DPR). Default none: one encoder for both.</summary>
    public string? QueryModel { get; set; }

    /// <summary>Put before every query text, e.g. <c>query: </c>. Default empty.</summary>
    public string QueryPrefix { get; set; } = string.Empty;

    /// <summary>Put before every passage text, e.g. <c>passage: </c>. Default empty.</summary>
    public string PassagePrefix { get; set; } = string.Empty;

    /// <summary>The side of texts whose caller names none: query or passage. Default query.</summary>
    public string DefaultSide { get; set; } = "query";

    /// <summary>Pooling when the model has no sentence-transformers files: cls, mean, max or lasttoken. Default cls.</summary>
    public string Pooling { get; set; } = "cls";

    /// <summary>L2-normalise vectors when the model has no sentence-transformers files. Default true.</summary>
    public bool Normalize { get; set; } = true;

    /// <summary>Inputs longer than the model's position limit: refuse (an error naming the input) or truncate. Default refuse.</summary>
    public string Truncation { get; set; } = "refuse";
}
