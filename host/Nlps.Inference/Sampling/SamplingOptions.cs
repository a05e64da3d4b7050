namespace Nlps.Inference.Sampling;

/// <summary>
/// How the next token is chosen from the logits. Applied in Hugging Face's order: repetition penalty, temperature,
/// top-k, top-p, min-p. Temperature 0 means greedy (argmax after the repetition penalty).
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>Greedy decoding: always the most likely token.</summary>
    public static SamplingOptions Greedy { get; } = new() { Temperature = 0 };

    /// <summary>Logits are divided by this; 0 = greedy. Default 1.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Keep only the k most likely tokens; 0 = off. Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest set of most likely tokens whose probability reaches this; 1 = off. Default 1.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Drop tokens less likely than this fraction of the most likely one; 0 = off. Default 0.</summary>
    public float MinP { get; init; }

    /// <summary>CTRL-style penalty on every token already in the sequence (&gt; 1 discourages repeats); 1 = off. Default 1.</summary>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>Seed for the random draw; the same seed, prompt and options give the same tokens. Null = unseeded.</summary>
    public int? Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (!(Temperature >= 0) || float.IsInfinity(Temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be a finite number >= 0");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(TopK, nameof(TopK));
        if (!(TopP > 0 && TopP <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top_p must be in (0, 1]");
        }

        if (!(MinP >= 0 && MinP <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinP), MinP, "min_p must be in [0, 1]");
        }

        if (!(RepetitionPenalty > 0) || float.IsInfinity(RepetitionPenalty))
        {
            throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), RepetitionPenalty, "repetition_penalty must be a finite number > 0");
        }
    }
}
