using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Packaging;

/// <summary>What <see cref="PackageVerifier"/> accepts. The defaults suit the appliance: signed packages only, limits far
/// above any real agent (the models live in the model store, not in packages).</summary>
public sealed class PackageVerificationOptions
{
    private const long MiB = 1024 * 1024;

    /// <summary>Largest package file accepted, in bytes. Default 256 MiB.</summary>
    public long MaxPackageBytes { get; init; } = 256 * MiB;

    /// <summary>Largest total of inflated bytes over all entries. Default 1 GiB.</summary>
    public long MaxUncompressedBytes { get; init; } = 1024 * MiB;

    /// <summary>Largest inflated size of one entry. Default 512 MiB.</summary>
    public long MaxFileBytes { get; init; } = 512 * MiB;

    /// <summary>Most entries in a package. Default 10000.</summary>
    public int MaxFileCount { get; init; } = 10_000;

    /// <summary>Largest ratio of inflated to compressed size for one entry, judged once the entry passes 1 MiB.
    /// Default 200 (assemblies compress about 3:1; runs of zeros, the zip-bomb material, about 1000:1).</summary>
    public int MaxCompressionRatio { get; init; } = 200;

    /// <summary>Accept packages without <c>signature.json</c>. Default false. A signature that is present must
    /// verify whatever this says.</summary>
    public bool AllowUnsigned { get; init; }

    /// <summary>The publisher keys signatures are checked against. Default: trusts nobody.</summary>
    public TrustedKeyRing TrustedKeys { get; init; } = TrustedKeyRing.Empty;

    /// <summary>The SDK version this appliance offers plugins. Default: the SDK the host carries.</summary>
    public SemanticVersion HostSdkVersion { get; init; } = SdkCompatibility.Current;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPackageBytes, 1, nameof(MaxPackageBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUncompressedBytes, 1, nameof(MaxUncompressedBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFileBytes, 1, nameof(MaxFileBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFileCount, 1, nameof(MaxFileCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCompressionRatio, 1, nameof(MaxCompressionRatio));
        ArgumentNullException.ThrowIfNull(TrustedKeys, nameof(TrustedKeys));
        ArgumentNullException.ThrowIfNull(HostSdkVersion, nameof(HostSdkVersion));
    }
}
