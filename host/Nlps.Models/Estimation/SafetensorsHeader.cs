using Nlps.Formats.Safetensors;
using Shared = Nlps.Formats.Safetensors.SafetensorsHeader;

namespace Nlps.Models.Estimation;

/// <summary>
/// The estimator's view of a safetensors header. Parsing and checking live in <see cref="Shared"/> (Nlps.Formats, also
/// used by the inference engine's loader); this class only reports a bad file as <see cref="ModelFormatException"/>.
/// </summary>
public static class SafetensorsHeader
{
    /// <summary>The format's own limit on header size (100 MB).</summary>
    public const long MaxHeaderBytes = Shared.MaxHeaderBytes;

    public static int BytesPerElement(string dtype) => Translate(() => Shared.BytesPerElement(dtype));

    public static async Task<IReadOnlyList<SafetensorsTensor>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await Shared.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (SafetensorsFormatException ex)
        {
            throw new ModelFormatException(ex.Message, ex);
        }
    }

    /// <summary>Checks the header JSON against a data section of <paramref name="dataBytes"/>: every tensor's range matches its dtype × shape, ranges tile the section with no gap or overlap.</summary>
    public static IReadOnlyList<SafetensorsTensor> Parse(ReadOnlySpan<byte> headerJson, long dataBytes, string origin)
    {
        try
        {
            return Shared.Parse(headerJson, dataBytes, origin);
        }
        catch (SafetensorsFormatException ex)
        {
            throw new ModelFormatException(ex.Message, ex);
        }
    }

    private static T Translate<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (SafetensorsFormatException ex)
        {
            throw new ModelFormatException(ex.Message, ex);
        }
    }
}
