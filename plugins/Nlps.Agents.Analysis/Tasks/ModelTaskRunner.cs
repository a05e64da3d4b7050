using System.Text.Json;
using Microsoft.Extensions.AI;
using Nlps.Agents.Analysis.Contracts;
using Nlps.Sdk.Agents;

namespace Nlps.Agents.Analysis.Tasks;

/// <summary>
/// Runs a model task: renders the prompt, asks the chat model for JSON only, validates it against the task's
/// schema, and on invalid output asks again with the error (at most <c>maxAttempts</c> times in all). When no
/// attempt is valid it fails with <c>invalid_model_output</c> (502) naming the last problem.
/// </summary>
internal sealed class ModelTaskRunner(int maxAttempts)
{
    public async Task<RunResponse> RunAsync(IChatClient chat, TaskDefinition task, TaskInput input, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, "Reply with one JSON value only, no prose and no code fences, that satisfies this JSON schema:\n" + task.OutputSchema.GetRawText()),
            new(ChatRole.User, Render(task, input)),
        };
        var problem = string.Empty;
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            var response = await chat.GetResponseAsync(messages, cancellationToken: cancellationToken).ConfigureAwait(false);
            var text = StripFences(response.Text);
            try
            {
                using var document = JsonDocument.Parse(text);
                problem = JsonSchemaValidator.Validate(document.RootElement, task.OutputSchema) ?? string.Empty;
                if (problem.Length == 0)
                {
                    return new RunResponse(task.Name, document.RootElement.Clone(), attempt);
                }
            }
            catch (JsonException ex)
            {
                problem = $"not valid JSON ({ex.Message})";
            }

            messages.Add(new ChatMessage(ChatRole.Assistant, response.Text));
            messages.Add(new ChatMessage(ChatRole.User, $"That reply is invalid: {problem}. Reply again with corrected JSON only."));
        }

        throw new AgentOperationException("invalid_model_output", $"the model gave no valid output for task '{task.Name}' in {maxAttempts} attempts; last problem: {problem}", 502);
    }

    public static string Render(TaskDefinition task, TaskInput input)
    {
        foreach (var need in task.Needs)
        {
            var missing = need switch
            {
                "question" => string.IsNullOrWhiteSpace(input.Question),
                "labels" => input.Labels is not { Count: > 0 },
                "choices" => input.Choices is not { Count: > 0 },
                _ => false,
            };
            if (missing)
            {
                throw new AgentOperationException("missing_input", $"task '{task.Name}' needs input.{need}");
            }
        }

        return task.Prompt!
            .Replace("{text}", input.Text, StringComparison.Ordinal)
            .Replace("{question}", input.Question ?? string.Empty, StringComparison.Ordinal)
            .Replace("{labels}", string.Join(", ", input.Labels ?? []), StringComparison.Ordinal)
            .Replace("{choices}", string.Join(" | ", input.Choices ?? []), StringComparison.Ordinal);
    }

    private static string StripFences(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = trimmed.IndexOf('\n', StringComparison.Ordinal);
            var end = trimmed.LastIndexOf("```", StringComparison.Ordinal);
            if (firstLine > 0 && end > firstLine)
            {
                return trimmed[(firstLine + 1)..end].Trim();
            }
        }

        return trimmed;
    }
}
