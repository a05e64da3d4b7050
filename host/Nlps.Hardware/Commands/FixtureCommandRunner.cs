namespace Nlps.Hardware.Commands;

/// <summary>
/// Replays recorded or reconstructed command output from a folder, for tests and for a simulated box.
/// A command maps to a file named by <see cref="FixtureName"/>; a sibling "NAME.exitcode" file holds a non-zero exit code.
/// A missing file means the tool is not installed.
/// </summary>
public sealed class FixtureCommandRunner : ICommandRunner
{
    private readonly string _folder;

    public FixtureCommandRunner(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _folder = folder;
    }

    /// <summary>The file name for a command line: the tool name, then "-query" when it asks for CSV, else nothing ("nvidia-smi.txt").</summary>
    public static string FixtureName(string fileName, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string tool = Path.GetFileName(fileName);
        return arguments.Any(a => a.StartsWith("--query", StringComparison.Ordinal))
            ? tool + "-query.csv"
            : tool + ".txt";
    }

    public async Task<CommandResult?> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        string path = Path.Combine(_folder, FixtureName(fileName, arguments));
        if (!File.Exists(path))
        {
            return null;
        }

        string output = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        string exitPath = path + ".exitcode";
        int exitCode = File.Exists(exitPath)
            ? int.Parse((await File.ReadAllTextAsync(exitPath, cancellationToken).ConfigureAwait(false)).Trim(), System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        return new CommandResult(exitCode, output, string.Empty);
    }
}
