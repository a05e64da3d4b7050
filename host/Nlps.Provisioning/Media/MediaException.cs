namespace Nlps.Provisioning.Media;

/// <summary>The media cannot be used as it is; <see cref="Code"/> is stable, <see cref="Subject"/> names the file.</summary>
public sealed class MediaException(string code, string subject, string message) : Exception(message)
{
    public string Code { get; } = code;

    public string Subject { get; } = subject;
}
