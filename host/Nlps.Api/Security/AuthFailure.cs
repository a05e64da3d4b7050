namespace Nlps.Api.Security;

/// <summary>Why a request was refused, kept on the request so the 401/403 problem document can say it.</summary>
/// <param name="Code">The stable problem code.</param>
/// <param name="Detail">What happened.</param>
public sealed record AuthFailure(string Code, string Detail)
{
    /// <summary>The <c>HttpContext.Items</c> key.</summary>
    public const string ItemKey = "nlps.auth.failure";
}
