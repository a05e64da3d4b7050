namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>
/// How a seq2seq model generates: greedy with one beam, else beam search scored as transformers' BeamSearchScorer
/// (v4.30) does: a finished hypothesis scores its summed log-probabilities ÷ (its length, decoder start included) ^
/// <see cref="LengthPenalty"/>.
/// </summary>
public sealed record Seq2SeqGenerationOptions
{
    /// <summary>Most tokens generated after the decoder start token (eos included). Default 64.</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Beams per source; 1 decodes greedily. Default 1.</summary>
    public int NumBeams { get; init; } = 1;

    /// <summary>Exponent on the hypothesis length that divides its score; above 0 favours longer outputs. Default 1.</summary>
    public double LengthPenalty { get; init; } = 1.0;

    /// <summary>Stop a source's search as soon as it has <see cref="NumBeams"/> finished hypotheses. Default false (stop when no running beam can beat them).</summary>
    public bool EarlyStopping { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxNewTokens, nameof(MaxNewTokens));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(NumBeams, nameof(NumBeams));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(NumBeams, 64, nameof(NumBeams));
        if (!double.IsFinite(LengthPenalty))
        {
            throw new ArgumentOutOfRangeException(nameof(LengthPenalty), LengthPenalty, "the length penalty must be a finite number");
        }
    }
}
