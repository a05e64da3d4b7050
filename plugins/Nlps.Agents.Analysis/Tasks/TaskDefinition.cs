using System.Text.Json;

namespace Nlps.Agents.Analysis.Tasks;

/// <summary>
/// A task of the catalogue. Model tasks have a prompt template (placeholders {text}, {question}, {labels}, {choices})
/// and an output JSON schema the model's answer must satisfy; offline tasks have neither and run in the agent.
/// </summary>
public sealed class TaskDefinition
{
    /// <summary>The task's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>What it does.</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>The prompt template; null for offline tasks.</summary>
    public string? Prompt { get; set; }

    /// <summary>The JSON schema the output satisfies.</summary>
    public JsonElement OutputSchema { get; set; }

    /// <summary>The inputs besides text that the task needs: question, labels, choices.</summary>
    public IReadOnlyList<string> Needs { get; set; } = [];

    /// <summary>True for tasks that run without a model.</summary>
    public bool Offline => Prompt is null;
}
