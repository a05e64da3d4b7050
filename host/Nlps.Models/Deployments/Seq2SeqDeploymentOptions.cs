namespace Nlps.Models.Deployments;

/// <summary>
/// Settings of a deployment whose model is a seq2seq encoder-decoder such as KoBART
/// (<c>Models:Deployments:&lt;name&gt;:Seq2Seq</c>): what a request gets when it asks for nothing else. A request may
/// still set max output tokens and, through ChatOptions.AdditionalProperties, num_beams / length_penalty / early_stopping.
/// </summary>
public sealed class Seq2SeqDeploymentOptions
{
    /// <summary>Most beams a deployment may set (the memory estimate counts a cache per beam).</summary>
    internal const int MaxBeams = 16;

    /// <summary>Most tokens generated per request. Default 64.</summary>
    public int MaxNewTokens { get; set; } = 64;

    /// <summary>Beams; 1 decodes greedily. Default 1, at most 16.</summary>
    public int NumBeams { get; set; } = 1;

    /// <summary>Exponent on the output length that divides a beam's score. Default 1.0.</summary>
    public double LengthPenalty { get; set; } = 1.0;

    /// <summary>Stop a beam search once it has NumBeams finished outputs. Default false.</summary>
    public bool EarlyStopping { get; set; }

    /// <summary>Sources longer than the deployment's MaxContext (by default the model's max_position_embeddings, 1024 for BART): refuse (an error with both counts) or truncate. Default refuse.</summary>
    public string Truncation { get; set; } = "refuse";
}
