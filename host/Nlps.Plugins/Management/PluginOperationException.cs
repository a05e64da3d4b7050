namespace Nlps.Plugins.Management;

/// <summary>An administrative plugin action that cannot be done; <see cref="Code"/> is stable for callers.</summary>
public sealed class PluginOperationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">A stable snake_case code, e.g. <c>version_exists</c>.</param>
    /// <param name="statusCode">The HTTP status that fits.</param>
    /// <param name="message">The reason for people.</param>
    public PluginOperationException(string code, int statusCode, string message)
        : base(message)
    {
        Code = code;
        StatusCode = statusCode;
    }

    /// <summary>The stable code.</summary>
    public string Code { get; }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }
}
