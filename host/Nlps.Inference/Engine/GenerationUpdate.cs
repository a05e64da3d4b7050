namespace Nlps.Inference.Engine;

/// <summary>
/// One step of a streamed generation: the text it completes (empty while a character or a possible stop string is
/// held back) and, on the last update only, why it ended. Concatenating every <see cref="Text"/> gives the output.
/// </summary>
public sealed record GenerationUpdate(string Text, int? TokenId, int PromptTokens, int CompletionTokens, FinishReason? FinishReason);
