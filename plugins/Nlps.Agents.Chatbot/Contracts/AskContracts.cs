namespace Nlps.Agents.Chatbot.Contracts;

/// <summary>A question; with a session id the conversation's earlier turns are kept and used for retrieval; <c>expand</c> as in search.</summary>
public sealed record AskRequest(string Kb, string Question, string? SessionId = null, string Mode = "hybrid", bool Expand = false);

/// <summary>A numbered source given to the model.</summary>
public sealed record AnswerSource(int Number, string DocumentId, string PassageId, string Text);

/// <summary>The answer, the sources it cites ([n] in the text maps to <see cref="AnswerSource.Number"/>), and whether it refused.</summary>
public sealed record AskResponse(string Answer, bool Refused, IReadOnlyList<int> Citations, IReadOnlyList<AnswerSource> Sources, string? SessionId);

/// <summary>
/// One event of <c>ask_stream</c>: <c>sources</c> first (the numbered passages the answer may cite), then <c>delta</c>
/// pieces of the answer as the model writes them, then <c>answer</c> with the whole response (citations mapped, or
/// the refusal). A refusal decided before the model is asked is the only event.
/// </summary>
/// <param name="Kind">sources, delta or answer.</param>
/// <param name="Sources">The numbered sources (kind sources).</param>
/// <param name="Text">The next piece of the answer (kind delta).</param>
/// <param name="Answer">The complete response (kind answer); it is authoritative over the deltas.</param>
public sealed record AskStreamItem(string Kind, IReadOnlyList<AnswerSource>? Sources = null, string? Text = null, AskResponse? Answer = null);

/// <summary>One turn of a stored conversation.</summary>
public sealed record ConversationTurn(string Question, string Answer);

/// <summary>A stored conversation.</summary>
public sealed record Conversation(IReadOnlyList<ConversationTurn> Turns);
