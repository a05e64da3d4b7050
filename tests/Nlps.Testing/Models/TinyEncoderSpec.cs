namespace Nlps.Testing.Models;

/// <summary>The shape of a <see cref="TinyEncoder"/>.</summary>
public sealed record TinyEncoderSpec
{
    /// <summary><c>bert</c> or <c>xlm-roberta</c> (positions from padding_idx + 1 = 2).</summary>
    public string ModelType { get; init; } = "bert";

    public int Hidden { get; init; } = 32;

    public int Intermediate { get; init; } = 64;

    public int Layers { get; init; } = 1;

    public int Heads { get; init; } = 2;

    public int MaxPositions { get; init; } = 64;

    /// <summary>The pooling_mode_* key set in 1_Pooling/config.json (e.g. <c>pooling_mode_mean_tokens</c>), or null for no sentence-transformers files.</summary>
    public string? PoolingMode { get; init; }

    /// <summary>Whether modules.json lists a Normalize module (only with <see cref="PoolingMode"/>).</summary>
    public bool Normalize { get; init; }

    public int Seed { get; init; } = 4321;
}
