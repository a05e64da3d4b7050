namespace Nlps.Formats.Gguf;

/// <summary>
/// A typed GGUF metadata array. <see cref="Values"/> is a CLR array of the element type: byte[], sbyte[], ushort[],
/// short[], uint[], int[], float[], bool[], string[], ulong[], long[], double[], or <see cref="GgufArray"/>[] when nested.
/// </summary>
public sealed record GgufArray(GgufValueType ElementType, Array Values)
{
    public int Count => Values.Length;
}
