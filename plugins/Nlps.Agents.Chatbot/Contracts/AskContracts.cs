namespace Nlps.Agents.Chatbot.Contracts;

/// <summary>A question; with a session id the conversation's earlier turns are kept and used for retrieval.</summary>
public sealed record AskRequest(string Kb, string Question, string? SessionId = null, string Mode = "hybrid");

/// <summary>A numbered source given to the model.</summary>
public sealed record AnswerSource(int Number, string DocumentId, string PassageId, string Text);

/// <summary>The answer, the sources it cites ([n] in the text maps to <see cref="AnswerSource.Number"/>), and whether it refused.</summary>
public sealed record AskResponse(string Answer, bool Refused, IReadOnlyList<int> Citations, IReadOnlyList<AnswerSource> Sources, string? SessionId);

/// <summary>One turn of a stored conversation.</summary>
public sealed record ConversationTurn(string Question, string Answer);

/// <summary>A stored conversation.</summary>
public sealed record Conversation(IReadOnlyList<ConversationTurn> Turns);
