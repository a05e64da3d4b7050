using System.Text.Json;
using Nlps.Agents.Chatbot.Contracts;
using Nlps.Sdk.Agents;

namespace Nlps.Agents.Chatbot.Retrieval;

/// <summary>
/// Asks the keyword graph agent, through the SDK's agent calls, for the keywords most related to a query (its
/// <c>related</c> operation). When the graph cannot answer (not installed, not running, no permission) the query
/// stays as it is and a note says why: expansion helps retrieval, it never makes it fail.
/// </summary>
internal sealed class QueryExpander(IAgentContext context, ChatbotOptions options)
{
    public async Task<IReadOnlyList<string>> RelatedAsync(string query, List<string> notes, CancellationToken cancellationToken)
    {
        byte[] reply;
        try
        {
            var request = JsonSerializer.SerializeToUtf8Bytes(new ExpansionRequest(query, options.ExpansionTerms * 2), ChatbotJson.Default.ExpansionRequest);
            reply = await context.CallAgentAsync(options.ExpansionAgent, "related", request, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentOperationException ex)
        {
            notes.Add($"query expansion skipped: {ex.Message}");
            return [];
        }

        var related = JsonSerializer.Deserialize(reply, ChatbotJson.Default.ExpansionResponse)?.Related ?? [];
        var terms = related
            .Select(r => r.Keyword)
            .Where(k => !string.IsNullOrWhiteSpace(k) && !query.Contains(k, StringComparison.Ordinal))
            .Take(options.ExpansionTerms)
            .ToList();
        notes.Add(terms.Count == 0
            ? $"query expansion: {options.ExpansionAgent} knows no keywords related to the query"
            : $"query expanded with {string.Join(", ", terms)} ({options.ExpansionAgent})");
        return terms;
    }
}
