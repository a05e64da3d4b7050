namespace Nlps.Inference.ChatTemplates;

/// <summary>One message of a conversation: role (system, user, assistant, tool) and its text.</summary>
public sealed record ChatTurn(string Role, string Content)
{
    internal static readonly string[] Roles = ["system", "user", "assistant", "tool"];

    internal void Validate()
    {
        if (!Roles.Contains(Role, StringComparer.Ordinal))
        {
            throw new ArgumentException($"unknown chat role '{Role}' (system, user, assistant, tool)", nameof(Role));
        }

        ArgumentNullException.ThrowIfNull(Content);
    }
}
