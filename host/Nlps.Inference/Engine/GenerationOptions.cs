using Nlps.Inference.Sampling;

namespace Nlps.Inference.Engine;

/// <summary>Limits and sampling for one generation.</summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens to generate. Default 256; the context window may stop generation earlier.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>How each token is chosen. Default: greedy.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;

    /// <summary>Strings that end the generation when they appear in the output; they are not included in it.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Token ids that end the generation, in addition to the model's own end-of-sequence tokens.</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    /// <summary>When true, the model's own end-of-sequence tokens do not end the generation (benchmarks, tests). Default false.</summary>
    public bool IgnoreEndOfSequence { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxTokens, nameof(MaxTokens));
        ArgumentNullException.ThrowIfNull(Sampling, nameof(Sampling));
        Sampling.Validate();
        ArgumentNullException.ThrowIfNull(StopStrings, nameof(StopStrings));
        if (StopStrings.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("stop strings must not be empty", nameof(StopStrings));
        }

        ArgumentNullException.ThrowIfNull(StopTokenIds, nameof(StopTokenIds));
    }
}
