using Nlps.Models.Engines;
using Nlps.Models.Engines.Remote;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Deployments;

/// <summary>
/// The <c>Models</c> section: the deployments nlpsd serves, which deployment answers each model role, and the memory
/// the CPU engine may use. Example: <c>Models:Deployments:assistant:Model = llama-3.2-1b</c>,
/// <c>Models:Deployments:assistant:Roles:0 = chat</c>, <c>Models:Agents:translator:chat = assistant</c>.
/// </summary>
public sealed class ModelDeploymentOptions
{
    public const string SectionName = "Models";

    /// <summary>Deployments by name; the name is the <c>model</c> of the OpenAI-compatible API.</summary>
    public Dictionary<string, DeploymentOptions> Deployments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The default deployment per role (<c>Models:Roles:chat = assistant</c>). A role with no entry goes to the one
    /// deployment that lists it in its Roles; two such deployments need an entry here.
    /// </summary>
    public Dictionary<string, string> Roles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per-agent overrides: <c>Models:Agents:&lt;agent id&gt;:&lt;role&gt; = &lt;deployment&gt;</c>.</summary>
    public Dictionary<string, Dictionary<string, string>> Agents { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Bytes of RAM deployments may hold together; 0 = three quarters of the memory available to the process. Default 0.</summary>
    public long CpuMemoryBytes { get; set; }

    /// <summary>The engines besides the built-in one: <c>Models:Engines:Vllm:Executable</c> and its flags and supervision.</summary>
    public EngineOptions Engines { get; set; } = new();

    /// <summary>Remote OpenAI-compatible endpoints by name (<c>Models:Remotes:&lt;name&gt;:BaseUrl</c>, …).</summary>
    public Dictionary<string, RemoteEndpointOptions> Remotes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Keep-alive, queue and Retry-After settings of the scheduler.</summary>
    public SchedulerOptions Scheduler { get; set; } = new();

    /// <summary>The RAM budget the scheduler hands out on device "cpu".</summary>
    public long EffectiveCpuMemoryBytes => CpuMemoryBytes > 0 ? CpuMemoryBytes : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 * 3;
}
