using Nlps.Inference.Embeddings;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Seq2Seq;

namespace Nlps.Inference.Seq2Seq;

/// <summary>How a seq2seq model folder is loaded and what a request gets when it asks for nothing else.</summary>
public sealed record Seq2SeqModelOptions
{
    /// <summary>Threads for the kernels (<see cref="CpuEngineOptions.Threads"/>).</summary>
    public CpuEngineOptions Engine { get; init; } = new();

    /// <summary>Generation when the request sets nothing: greedy, 64 new tokens.</summary>
    public Seq2SeqGenerationOptions Defaults { get; init; } = new();

    /// <summary>Sources longer than <see cref="MaxSourceTokens"/>: refused (default) or cut to fit, keeping a final special token.</summary>
    public TruncationPolicy Truncation { get; init; } = TruncationPolicy.Refuse;

    /// <summary>
    /// Longest source in tokens, special tokens included: at most the encoder's positions (max_position_embeddings),
    /// which it is when null. A deployment sets its context here, so what it reports is what it accepts.
    /// </summary>
    public int? MaxSourceTokens { get; init; }
}
