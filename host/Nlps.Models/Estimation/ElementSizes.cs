namespace Nlps.Models.Estimation;

internal static class ElementSizes
{
    public static int Of(KvCacheType type) => type switch
    {
        KvCacheType.Bf16 => 2,
        KvCacheType.Fp8 => 1,
        KvCacheType.Fp32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
