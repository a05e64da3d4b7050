using System.Text.RegularExpressions;

namespace Nlps.Cli.Evaluation;

/// <summary>sacreBLEU's default BLEU tokenizer "13a" (mteval-v13a): unescape a few entities, split off punctuation and symbols, keep decimal points and thousands separators inside numbers.</summary>
internal static partial class Tokenizer13a
{
    public static string[] Tokenize(string line)
    {
        line = line.Replace("<skipped>", string.Empty, StringComparison.Ordinal).Replace("-\n", string.Empty, StringComparison.Ordinal).Replace('\n', ' ');
        if (line.Contains('&', StringComparison.Ordinal))
        {
            line = line.Replace("&quot;", "\"", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal)
                .Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal);
        }

        line = $" {line} ";
        line = Symbols().Replace(line, " $1 ");
        line = PeriodCommaAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    [GeneratedRegex(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])")]
    private static partial Regex Symbols();

    [GeneratedRegex(@"([^0-9])([\.,])")]
    private static partial Regex PeriodCommaAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])")]
    private static partial Regex PeriodCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)")]
    private static partial Regex DashAfterDigit();
}
