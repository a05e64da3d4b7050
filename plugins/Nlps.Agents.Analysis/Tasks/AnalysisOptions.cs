using System.Text.Json;
using Nlps.Agents.Analysis.Contracts;

namespace Nlps.Agents.Analysis.Tasks;

/// <summary>The analysis agent's configuration: extra or replaced model tasks, and how often to re-ask for valid JSON.</summary>
public sealed class AnalysisOptions
{
    /// <summary>How many times the model is asked before a task fails with invalid_model_output (1-10).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Customer tasks by name (a built-in name replaces that task's prompt and schema).</summary>
    public Dictionary<string, TaskDefinition> Tasks { get; set; } = [];

    public static AnalysisOptions Read(JsonElement configuration)
    {
        var options = configuration.ValueKind == JsonValueKind.Object
            ? configuration.Deserialize(AnalysisJson.Default.AnalysisOptions) ?? new AnalysisOptions()
            : new AnalysisOptions();
        if (options.MaxAttempts is < 1 or > 10)
        {
            throw new InvalidOperationException("configuration key 'maxAttempts' must be 1 to 10");
        }

        foreach (var (name, task) in options.Tasks)
        {
            if (string.IsNullOrWhiteSpace(task.Prompt) || !task.Prompt.Contains("{text}", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"configuration key 'tasks:{name}:prompt' must be a template containing {{text}}");
            }

            if (task.OutputSchema.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidOperationException($"configuration key 'tasks:{name}:outputSchema' must be a JSON schema object");
            }

            task.Name = name;
        }

        return options;
    }
}
