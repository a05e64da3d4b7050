namespace Nlps.Sdk.Storage;

/// <summary>How a vector collection keeps its vectors. Since SDK 1.1.</summary>
public enum VectorQuantization
{
    /// <summary>32-bit floats: exact scores.</summary>
    None = 0,

    /// <summary>8-bit integers with one scale per vector: a quarter of the memory, scores within about 1% of exact.</summary>
    Int8 = 1,
}
