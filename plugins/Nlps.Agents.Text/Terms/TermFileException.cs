namespace Nlps.Agents.Text.Terms;

/// <summary>A term file that cannot be imported; nothing from it is used. Names the first bad line.</summary>
public sealed class TermFileException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="line">The 1-based line or row of the first error, or 0 when the whole file is unreadable.</param>
    /// <param name="message">What is wrong.</param>
    public TermFileException(int line, string message)
        : base(line > 0 ? $"line {line}: {message}" : message)
    {
        Line = line;
    }

    /// <summary>The 1-based line or row of the first error, or 0.</summary>
    public int Line { get; }
}
