using Nlps.Models.Engines.Processes;

namespace Nlps.Models.Engines;

/// <summary>The engines besides the built-in one (<c>Models:Engines</c>).</summary>
public sealed class EngineOptions
{
    /// <summary>The vLLM installation that GPU deployments (<c>Engine = vllm</c>) run on.</summary>
    public VllmOptions Vllm { get; set; } = new();
}
