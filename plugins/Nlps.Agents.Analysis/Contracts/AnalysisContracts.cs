using System.Text.Json;

namespace Nlps.Agents.Analysis.Contracts;

/// <summary>One input of a task: the text, and what the task needs besides it.</summary>
/// <param name="Text">The text (for table tasks, an HTML table).</param>
/// <param name="Question">The question of a QA task.</param>
/// <param name="Labels">The labels of a classification task.</param>
/// <param name="Choices">The choices of a multiple-choice task.</param>
public sealed record TaskInput(string Text, string? Question = null, IReadOnlyList<string>? Labels = null, IReadOnlyList<string>? Choices = null);

/// <summary>Runs <paramref name="Task"/> on <paramref name="Input"/>.</summary>
public sealed record RunRequest(string Task, TaskInput Input);

/// <summary>A task's output (valid against its schema) and how many model attempts it took (0 offline).</summary>
public sealed record RunResponse(string Task, JsonElement Output, int Attempts);

/// <summary>Describes a task of the catalogue.</summary>
public sealed record TaskDescription(string Name, string Description, string? ModelRole, IReadOnlyList<string> Needs, JsonElement OutputSchema);

/// <summary>The catalogue.</summary>
public sealed record TaskList(IReadOnlyList<TaskDescription> Tasks);

/// <summary>An empty request.</summary>
public sealed record Empty;

/// <summary>Starts a batch of <paramref name="Task"/> over <paramref name="Inputs"/>.</summary>
public sealed record BatchRequest(string Task, IReadOnlyList<TaskInput> Inputs);

/// <summary>Names a batch job.</summary>
public sealed record BatchStatusRequest(string JobId);

/// <summary>One input's outcome in a batch.</summary>
public sealed record BatchItem(int Index, string Status, JsonElement? Output = null, string? Error = null);

/// <summary>A batch job: progress and the results so far.</summary>
public sealed record BatchJob(string JobId, string Task, string State, int Total, int Done, int Failed, IReadOnlyList<BatchItem> Items);

/// <summary>A batch job's inputs as stored to resume it.</summary>
public sealed record BatchInputs(IReadOnlyList<TaskInput> Inputs);
