using Nlps.Plugins.Configuration;

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

    /// <summary>Creates the exception for a configuration that breaks a plugin's schema.</summary>
    /// <param name="code">A stable snake_case code, e.g. <c>config_incompatible</c>.</param>
    /// <param name="statusCode">The HTTP status that fits.</param>
    /// <param name="message">The reason for people, every error included.</param>
    /// <param name="configErrors">Every schema error, for callers that show them one by one.</param>
    public PluginOperationException(string code, int statusCode, string message, IReadOnlyList<ConfigError> configErrors)
        : this(code, statusCode, message)
    {
        ConfigErrors = configErrors;
    }

    /// <summary>The stable code.</summary>
    public string Code { get; }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    /// <summary>The schema errors behind the refusal; empty for other refusals.</summary>
    public IReadOnlyList<ConfigError> ConfigErrors { get; } = [];
}
