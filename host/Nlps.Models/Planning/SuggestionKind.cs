namespace Nlps.Models.Planning;

public enum SuggestionKind
{
    ShorterContext,
    FewerSequences,
    Fp8KvCache,
    Int8Weights,
    Int4Weights,
    LargerTensorParallel,
}
