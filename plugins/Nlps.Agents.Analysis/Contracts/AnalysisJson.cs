using System.Text.Json.Serialization;
using Nlps.Agents.Analysis.Tasks;

namespace Nlps.Agents.Analysis.Contracts;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(RunRequest))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(TaskList))]
[JsonSerializable(typeof(Empty))]
[JsonSerializable(typeof(BatchRequest))]
[JsonSerializable(typeof(BatchStatusRequest))]
[JsonSerializable(typeof(BatchJob))]
[JsonSerializable(typeof(BatchInputs))]
[JsonSerializable(typeof(AnalysisOptions))]
[JsonSerializable(typeof(SummaryOutput))]
[JsonSerializable(typeof(KeywordOutput))]
internal sealed partial class AnalysisJson : JsonSerializerContext;

/// <summary>The output of the extractive summary.</summary>
public sealed record SummaryOutput(string Summary, IReadOnlyList<string> Sentences);

/// <summary>The output of keyword tagging.</summary>
public sealed record KeywordOutput(IReadOnlyList<string> Keywords);
