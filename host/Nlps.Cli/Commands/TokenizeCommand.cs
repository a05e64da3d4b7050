using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nlps.Inference.Tokenization;

namespace Nlps.Cli.Commands;

/// <summary>
/// <c>nlpsctl tokenize --tokenizer tokenizer.json</c>: each stdin line becomes one JSON array of token ids on stdout
/// (with the tokenizer's usual special tokens, e.g. Llama 3's BOS, unless <c>--no-special-tokens</c>); with
/// <c>--decode</c> each line is a JSON array of ids and becomes its text. Offline: nothing talks to nlpsd.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var tokenizer = new Option<FileInfo>("--tokenizer") { Description = "A Hugging Face tokenizer.json", Required = true };
        var decode = new Option<bool>("--decode") { Description = "Read JSON arrays of ids, write the text" };
        var noSpecial = new Option<bool>("--no-special-tokens") { Description = "Encode without the tokenizer's added prefix/suffix; decode without special tokens" };
        var command = new Command("tokenize", "Token ids of each stdin line (one JSON array per line), or with --decode the text of each array") { tokenizer, decode, noSpecial };
        command.SetAction(async (result, cancellationToken) =>
        {
            FileInfo file = result.GetValue(tokenizer)!;
            ITokenizer loaded;
            try
            {
                loaded = TokenizerJson.Load(file.FullName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException or InvalidDataException or FormatException or KeyNotFoundException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"error: invalid_tokenizer: {file.FullName}: {ex.Message}");
                return 2;
            }

            using var input = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
            await using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
            return await RunAsync(loaded, input, output, Console.Error, result.GetValue(decode), !result.GetValue(noSpecial), cancellationToken);
        });
        return command;
    }

    /// <summary>Tokenizes (or decodes) every line of <paramref name="input"/>; a bad line stops with its number on <paramref name="error"/> and exit code 2.</summary>
    public static async Task<int> RunAsync(ITokenizer tokenizer, TextReader input, TextWriter output, TextWriter error, bool decode, bool specialTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var ids = new List<int>();
        var line = new StringBuilder();
        int number = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } text)
        {
            number++;
            if (decode)
            {
                int[]? parsed = ParseIds(text, tokenizer.VocabSize);
                if (parsed is null)
                {
                    await error.WriteLineAsync($"error: invalid_ids: line {number} is not a JSON array of token ids below {tokenizer.VocabSize}");
                    await output.FlushAsync(cancellationToken);
                    return 2;
                }

                await output.WriteLineAsync(tokenizer.Decode(parsed, skipSpecialTokens: !specialTokens));
                continue;
            }

            ids.Clear();
            tokenizer.Encode(text, ids, specialTokens);
            line.Clear().Append('[');
            for (int i = 0; i < ids.Count; i++)
            {
                line.Append(i == 0 ? string.Empty : ",").Append(ids[i].ToString(CultureInfo.InvariantCulture));
            }

            await output.WriteLineAsync(line.Append(']'), cancellationToken);
        }

        await output.FlushAsync(cancellationToken);
        return 0;
    }

    private static int[]? ParseIds(string text, int vocabSize)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var ids = new int[document.RootElement.GetArrayLength()];
            int i = 0;
            foreach (JsonElement element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out int id) || id < 0 || id >= vocabSize)
                {
                    return null;
                }

                ids[i++] = id;
            }

            return ids;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
