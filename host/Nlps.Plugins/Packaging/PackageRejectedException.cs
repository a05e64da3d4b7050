namespace Nlps.Plugins.Packaging;

/// <summary>
/// A package was refused before anything in it was installed or loaded. <see cref="Code"/> is one of
/// <see cref="PackageRejectionCodes"/> (stable, for scripts and the admin API); the message says what was wrong.
/// </summary>
public sealed class PackageRejectedException : Exception
{
    /// <summary>Creates the rejection.</summary>
    /// <param name="code">One of <see cref="PackageRejectionCodes"/>.</param>
    /// <param name="message">What was wrong, for people.</param>
    public PackageRejectedException(string code, string message)
        : base(message)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
    }

    /// <summary>Creates the rejection with the error behind it.</summary>
    /// <param name="code">One of <see cref="PackageRejectionCodes"/>.</param>
    /// <param name="message">What was wrong, for people.</param>
    /// <param name="innerException">The underlying error.</param>
    public PackageRejectedException(string code, string message, Exception innerException)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
    }

    /// <summary>The stable, machine-readable reason (see <see cref="PackageRejectionCodes"/>).</summary>
    public string Code { get; }
}
