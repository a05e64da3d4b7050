using System.Text;
using System.Text.RegularExpressions;
using Nlps.Inference.Tokenization.PreTokenization;

namespace Nlps.Inference.Tests.Tokenization;

public sealed class Cl100kPreTokenizerTests
{
    private static readonly string Alphabet =
        "aZq'sStTrReEvVmMlLdD 0123456789\r\n\t\u3000\u00a0\u2028.,!?()-_\"#@가나다한국은행日本ΩЖ١٢½Ⅻ\u0301🚀";

    private static List<string> Split(PreTokenizer splitter, string text)
    {
        var pieces = new List<(int Start, int Length)>();
        splitter.Split(text, pieces);
        return [.. pieces.Select(p => text.Substring(p.Start, p.Length))];
    }

    private static List<string> RegexSplit(string pattern, string text) =>
        [.. Regex.Matches(text, pattern, RegexOptions.CultureInvariant).Select(m => m.Value)];

    [Theory]
    [InlineData(Cl100kPreTokenizer.Llama3Pattern, 3)]
    [InlineData(Cl100kPreTokenizer.Qwen2Pattern, 1)]
    public void Matches_dotnet_regex_on_random_bmp_text(string pattern, int maxDigits)
    {
        // Outside the BMP .NET Regex sees surrogates, so only BMP characters are a fair comparison
        // (the emoji is in the alphabet as a pair of surrogates treated as "other" by both).
        var random = new Random(1234);
        var splitter = new Cl100kPreTokenizer(maxDigits);
        for (var round = 0; round < 3000; round++)
        {
            var text = new StringBuilder();
            var length = random.Next(1, 40);
            for (var i = 0; i < length; i++)
            {
                var c = Alphabet[random.Next(Alphabet.Length)];
                if (char.IsSurrogate(c))
                {
                    continue;
                }

                text.Append(c);
            }

            var s = text.ToString();
            Assert.Equal(RegexSplit(pattern, s), Split(splitter, s));
        }
    }

    [Theory]
    [InlineData("Hello world", new[] { "Hello", " world" })]
    [InlineData("I'm here, they'RE", new[] { "I", "'m", " here", ",", " they", "'RE" })]
    [InlineData("1234567", new[] { "123", "456", "7" })]
    [InlineData("a   b", new[] { "a", "  ", " b" })]
    [InlineData("x\n\n  y", new[] { "x", "\n\n", " ", " y" })]
    [InlineData("ok!!\n\nnext", new[] { "ok", "!!\n\n", "next" })]
    [InlineData("trailing   ", new[] { "trailing", "   " })]
    [InlineData("''s", new[] { "''", "s" })]
    public void Splits_like_the_llama3_regex(string text, string[] expected) =>
        Assert.Equal(expected, Split(new Cl100kPreTokenizer(3), text));

    [Fact]
    public void Letters_outside_the_bmp_are_letters_as_in_oniguruma()
    {
        // .NET Regex would see surrogates here (not \p{L}) and split 𝐁𝐨𝐥𝐝 apart; HF keeps the word whole.
        Assert.Equal(["𝐁𝐨𝐥𝐝", " 𠀀𠀁"], Split(new Cl100kPreTokenizer(3), "𝐁𝐨𝐥𝐝 𠀀𠀁"));
    }

    [Fact]
    public void Emoji_before_a_word_joins_it_as_the_optional_leading_character()
    {
        // " 🚀!" is one piece: a space before "other" characters joins them ( ?[^\s\p{L}\p{N}]+).
        Assert.Equal(["🚀word", " 🚀!"], Split(new Cl100kPreTokenizer(3), "🚀word 🚀!"));
    }

    [Fact]
    public void Only_the_exact_llama3_and_qwen2_patterns_get_the_hand_written_splitter()
    {
        Assert.Equal(3, Cl100kPreTokenizer.TryCreate(Cl100kPreTokenizer.Llama3Pattern)!.MaxDigits);
        Assert.Equal(1, Cl100kPreTokenizer.TryCreate(Cl100kPreTokenizer.Qwen2Pattern)!.MaxDigits);
        Assert.Null(Cl100kPreTokenizer.TryCreate(@"\s+|\S+"));
    }
}
