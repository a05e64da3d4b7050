using System.Globalization;

namespace Nlps.Cli.Evaluation;

/// <summary>One pair's translation and its scores.</summary>
internal sealed record TranslatedSegment(TranslationPair Pair, string Translation, double Bleu, double Chrf, int Mandated, int Satisfied, IReadOnlyList<string> Missing)
{
    public string[] Cells() =>
    [
        string.Create(CultureInfo.InvariantCulture, $"{Satisfied}/{Mandated}"),
        Chrf.ToString("0.00", CultureInfo.InvariantCulture),
        Bleu.ToString("0.00", CultureInfo.InvariantCulture),
    ];
}
