namespace Nlps.Models.Engines;

/// <summary>The <c>Engine</c> values a deployment accepts.</summary>
public static class EngineKind
{
    /// <summary>The built-in CPU engine in nlpsd's process (the default).</summary>
    public const string Cpu = "cpu";

    /// <summary>A supervised <c>vllm serve</c> process on the GPUs the planner chose.</summary>
    public const string Vllm = "vllm";

    /// <summary>A model on a remote OpenAI-compatible endpoint (<c>Models:Remotes</c>).</summary>
    public const string Remote = "remote";

    public const string Names = "cpu, vllm, remote";

    /// <summary>The canonical name, or null for an unknown one; empty means cpu.</summary>
    public static string? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or Cpu => Cpu,
        Vllm => Vllm,
        Remote => Remote,
        _ => null,
    };
}
