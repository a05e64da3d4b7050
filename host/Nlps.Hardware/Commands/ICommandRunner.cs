namespace Nlps.Hardware.Commands;

/// <summary>Runs an external tool. Returns null when the tool is not installed, so callers can fall back.</summary>
public interface ICommandRunner
{
    Task<CommandResult?> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
