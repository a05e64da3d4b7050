using Nlps.Inference.Tokenization.AddedTokens;

namespace Nlps.Inference.Tokenization;

/// <summary>Per-thread lists reused across Encode calls so that a warm encode allocates nothing per token.</summary>
internal sealed class EncodeWorkspace
{
    [ThreadStatic]
    private static EncodeWorkspace? t_current;

    public readonly List<TextSection> RawSections = [];
    public readonly List<TextSection> NormalizedSections = [];
    public readonly List<(int Start, int Length)> Pieces = [];
    public readonly List<int> Counting = [];

    public static EncodeWorkspace Current => t_current ??= new EncodeWorkspace();
}
