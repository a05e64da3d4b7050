namespace Nlps.Storage.Database;

/// <summary>The state database cannot be used as it is: not a SQLite file, a newer schema, or unopenable. The message says what to do.</summary>
public sealed class StateDatabaseException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StateDatabaseException()
    {
    }

    /// <summary>Creates the exception with a message for the operator.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public StateDatabaseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The SQLite failure.</param>
    public StateDatabaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
