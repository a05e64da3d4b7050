namespace Nlps.Models.Engines.Processes;

/// <summary>The vLLM installation on the box (<c>Models:Engines:Vllm</c>).</summary>
public sealed class VllmOptions
{
    /// <summary>The <c>vllm</c> executable, e.g. a venv's <c>/opt/vllm/bin/vllm</c>. Required for GPU deployments.</summary>
    public string Executable { get; set; } = string.Empty;

    /// <summary>Flags appended to every vLLM command line (e.g. <c>--enforce-eager</c>). Default none.</summary>
    public List<string> ExtraArguments { get; set; } = [];

    /// <summary>Supervision: start timeout, back-off, crash-loop limit, stop grace.</summary>
    public EngineProcessOptions Supervision { get; set; } = new() { StartTimeout = TimeSpan.FromMinutes(15) };
}
