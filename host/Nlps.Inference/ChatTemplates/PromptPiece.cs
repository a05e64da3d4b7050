namespace Nlps.Inference.ChatTemplates;

/// <summary>
/// A piece of a rendered chat prompt. Template pieces may contain special tokens (<c>&lt;|eot_id|&gt;</c>) and are
/// encoded with them recognised; content pieces come from messages and are encoded as plain text, so a user cannot
/// inject a special token.
/// </summary>
public readonly record struct PromptPiece(string Text, bool IsTemplate);
