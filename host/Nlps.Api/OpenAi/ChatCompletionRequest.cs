using Nlps.Inference.ChatTemplates;
using Nlps.Inference.Sampling;

namespace Nlps.Api.OpenAi;

/// <summary>A parsed <c>POST /v1/chat/completions</c> body: what the engine needs, validated.</summary>
/// <param name="Model">The deployment name.</param>
/// <param name="Messages">The conversation, roles mapped to the template's (developer becomes system).</param>
/// <param name="MaxTokens"><c>max_completion_tokens</c>, else <c>max_tokens</c>; null: up to the end of the context window.</param>
/// <param name="Sampling">Temperature (default 1, as OpenAI), top_p, top_k, min_p, repetition_penalty, seed.</param>
/// <param name="Stop">Stop strings.</param>
/// <param name="Stream">Answer as server-sent events.</param>
/// <param name="IncludeUsage"><c>stream_options.include_usage</c>: a last chunk with empty choices and the usage.</param>
/// <param name="IgnoreEos">vLLM's <c>ignore_eos</c> extra: generate past the model's end-of-sequence tokens.</param>
public sealed record ChatCompletionRequest(
    string Model,
    IReadOnlyList<ChatTurn> Messages,
    int? MaxTokens,
    SamplingOptions Sampling,
    IReadOnlyList<string> Stop,
    bool Stream,
    bool IncludeUsage,
    bool IgnoreEos);
