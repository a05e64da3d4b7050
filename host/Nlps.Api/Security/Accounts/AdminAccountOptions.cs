using System.ComponentModel.DataAnnotations;

namespace Nlps.Api.Security.Accounts;

/// <summary>Console administrator accounts and their sessions, bound from the <c>AdminAccounts</c> section.</summary>
public sealed class AdminAccountOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "AdminAccounts";

    /// <summary>Wrong passwords in a row that lock an account. Default 5.</summary>
    [Range(1, 100)]
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long a locked account refuses every login, the right password included. Default 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The shortest password accepted. Default 10 characters.</summary>
    [Range(8, 128)]
    public int MinPasswordLength { get; set; } = 10;

    /// <summary>A console session ends after this long without a request (sliding). Default 8 hours.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);
}
