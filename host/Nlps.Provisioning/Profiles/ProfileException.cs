namespace Nlps.Provisioning.Profiles;

/// <summary>A profile that cannot be used; the message names the file, the field and, where known, the line.</summary>
public sealed class ProfileException : Exception
{
    public ProfileException(string message)
        : base(message)
    {
    }

    public ProfileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
