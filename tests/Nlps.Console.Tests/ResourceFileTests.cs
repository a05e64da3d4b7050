using System.Text.Json;
using System.Text.RegularExpressions;
using Nlps.Testing;

namespace Nlps.Console.Tests;

public sealed partial class ResourceFileTests
{
    private static readonly string Root = Path.Combine(RepositoryPaths.Root, "host", "Nlps.Console", "wwwroot");

    [Fact]
    public void Korean_and_English_have_the_same_keys_and_every_key_the_scripts_ask_for()
    {
        var korean = Keys("ko");
        var english = Keys("en");
        Assert.Empty(korean.Except(english));
        Assert.Empty(english.Except(korean));

        // Literal keys only; keys built at run time (plugins.state.${…}, error.${code}) are checked through their prefixes.
        var used = Directory.EnumerateFiles(Path.Combine(Root, "js"), "*.js", SearchOption.AllDirectories)
            .SelectMany(file => LiteralKey().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.True(used.Count > 80, $"only {used.Count} keys found in the scripts");
        Assert.Empty(used.Except(korean));
        foreach (var state in new[] { "Installed", "Running", "Disabled", "Faulted" })
        {
            Assert.Contains($"plugins.state.{state}", korean);
        }
    }

    [Fact]
    public void No_script_or_page_holds_Korean_text_of_its_own()
    {
        var offenders = Directory.EnumerateFiles(Root, "*.*", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}i18n{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => Hangul().IsMatch(File.ReadAllText(file)))
            .ToList();
        Assert.Empty(offenders);
    }

    private static HashSet<string> Keys(string language)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "i18n", language + ".json")));
        return [.. document.RootElement.EnumerateObject().Select(p => p.Name)];
    }

    [GeneratedRegex(@"\bt\('([a-zA-Z.]+)'")]
    private static partial Regex LiteralKey();

    [GeneratedRegex(@"[\uAC00-\uD7A3\u1100-\u11FF\u3130-\u318F]")]
    private static partial Regex Hangul();
}
