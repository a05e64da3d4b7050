using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Nlps.Agents.Chatbot.Contracts;
using Nlps.Agents.Chatbot.Retrieval;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Storage;

namespace Nlps.Agents.Chatbot.Answering;

/// <summary>
/// Answers a question from retrieved parent passages: refuses without calling the model when retrieval is weak,
/// otherwise prompts the chat model with numbered sources (in long-context order) and the conversation so far,
/// and maps the [n] citations of the answer to documents and passages. The model may also refuse by answering
/// <see cref="NotInDocuments"/>.
/// </summary>
internal sealed class Answerer(IAgentContext context, ChatbotOptions options, Retriever retriever)
{
    public const string NotInDocuments = "NOT_IN_DOCUMENTS";

    private const string SystemPrompt =
        "You answer questions using only the numbered sources you are given. Cite every fact with the number of its source in " +
        "square brackets, e.g. [1] or [2]. Answer in the language of the question. If the sources do not contain the answer, " +
        "reply with exactly " + NotInDocuments + " and nothing else.";

    public async Task<AskResponse> AskAsync(AskRequest request, CancellationToken cancellationToken)
    {
        var (turn, refusal) = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        if (turn is null)
        {
            return refusal!;
        }

        var response = await turn.Chat.GetResponseAsync(turn.Messages, ChatOptions(), cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(request, turn, response.Text, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<AskStreamItem> AskStreamAsync(AskRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (turn, refusal) = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        if (turn is null)
        {
            yield return new AskStreamItem("answer", Answer: refusal);
            yield break;
        }

        yield return new AskStreamItem("sources", Sources: turn.Sources);
        var text = new StringBuilder();
        var sent = 0;
        await foreach (var update in turn.Chat.GetStreamingResponseAsync(turn.Messages, ChatOptions(), cancellationToken).ConfigureAwait(false))
        {
            text.Append(update.Text);

            // Held back while the answer may still turn out to be the refusal marker, so a refusal never reaches the
            // caller as answer text.
            if (MayBeRefusalMarker(text) || text.Length == sent)
            {
                continue;
            }

            yield return new AskStreamItem("delta", Text: text.ToString(sent, text.Length - sent));
            sent = text.Length;
        }

        yield return new AskStreamItem("answer", Answer: await CompleteAsync(request, turn, text.ToString(), cancellationToken).ConfigureAwait(false));
    }

    public static string Prompt(IReadOnlyList<AnswerSource> sources, string question)
    {
        var builder = new StringBuilder("Sources:\n");
        foreach (var source in sources)
        {
            builder.Append(CultureInfo.InvariantCulture, $"[{source.Number}] ({source.DocumentId}) {source.Text}\n\n");
        }

        return builder.Append("Question: ").Append(question).ToString();
    }

    internal static bool MayBeRefusalMarker(StringBuilder text)
    {
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        var length = Math.Min(text.Length - start, NotInDocuments.Length);
        for (var i = 0; i < length; i++)
        {
            if (text[start + i] != NotInDocuments[i])
            {
                return false;
            }
        }

        return true;
    }

    private ChatOptions ChatOptions() => new() { MaxOutputTokens = options.MaxAnswerTokens, Temperature = options.Temperature };

    /// <summary>The prompt for the model, or (when retrieval is weak) the refusal given without asking it.</summary>
    private async Task<(PreparedTurn? Turn, AskResponse? Refusal)> PrepareAsync(AskRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Question))
        {
            throw new AgentOperationException("empty_question", "the question is empty");
        }

        var conversation = request.SessionId is null
            ? new Conversation([])
            : await context.Store.GetJsonAsync(SessionKey(request.SessionId), ChatbotJson.Default.Conversation, cancellationToken).ConfigureAwait(false) ?? new Conversation([]);

        // The previous question carries the topic of a follow-up ("그럼 그 한도는?").
        var query = conversation.Turns.Count == 0 ? request.Question : $"{conversation.Turns[^1].Question} {request.Question}";
        var retrieval = await retriever.SearchAsync(request.Kb, query, request.Mode, options.AnswerPassages, request.Expand, cancellationToken).ConfigureAwait(false);
        var strong = retrieval.BestBm25 >= options.MinBm25Score || retrieval.BestDense >= options.MinDenseScore;
        if (retrieval.Passages.Count == 0 || !strong)
        {
            return (null, await FinishAsync(request, conversation, new AskResponse(options.RefusalMessage, true, [], [], request.SessionId), cancellationToken).ConfigureAwait(false));
        }

        var sources = LongContextOrder.Reorder(retrieval.Passages)
            .Select((p, i) => new AnswerSource(i + 1, p.DocumentId, p.PassageId, p.Text))
            .ToList();
        var chat = context.GetChatClient("chat");
        var messages = new List<ChatMessage> { new(ChatRole.System, SystemPrompt) };
        foreach (var turn in conversation.Turns.TakeLast(4))
        {
            messages.Add(new ChatMessage(ChatRole.User, turn.Question));
            messages.Add(new ChatMessage(ChatRole.Assistant, turn.Answer));
        }

        messages.Add(new ChatMessage(ChatRole.User, Prompt(sources, request.Question)));
        return (new PreparedTurn(conversation, sources, messages, chat), null);
    }

    private Task<AskResponse> CompleteAsync(AskRequest request, PreparedTurn turn, string modelText, CancellationToken cancellationToken)
    {
        var answer = modelText.Trim();
        var response = answer.Length == 0 || answer.Contains(NotInDocuments, StringComparison.Ordinal)
            ? new AskResponse(options.RefusalMessage, true, [], turn.Sources, request.SessionId)
            : new AskResponse(answer, false, Citations.Parse(answer, turn.Sources.Count), turn.Sources, request.SessionId);
        return FinishAsync(request, turn.Conversation, response, cancellationToken);
    }

    private static string SessionKey(string sessionId) => $"session/{sessionId}";

    private async Task<AskResponse> FinishAsync(AskRequest request, Conversation conversation, AskResponse response, CancellationToken cancellationToken)
    {
        if (request.SessionId is not null)
        {
            var turns = conversation.Turns.Append(new ConversationTurn(request.Question, response.Answer)).TakeLast(20).ToList();
            await context.Store.SetJsonAsync(SessionKey(request.SessionId), new Conversation(turns), ChatbotJson.Default.Conversation, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>What the model is asked, with the sources its answer may cite.</summary>
    private sealed record PreparedTurn(Conversation Conversation, IReadOnlyList<AnswerSource> Sources, IReadOnlyList<ChatMessage> Messages, IChatClient Chat);
}
