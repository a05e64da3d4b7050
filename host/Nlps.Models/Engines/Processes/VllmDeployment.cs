using Nlps.Models.Estimation;
using Nlps.Models.Planning;

namespace Nlps.Models.Engines.Processes;

/// <summary>One GPU deployment of the plan, as vLLM will serve it.</summary>
/// <param name="Name">The served model name (the deployment name).</param>
/// <param name="ModelFolder">The model's folder in the store.</param>
/// <param name="Family">Decoders generate; encoders run as vLLM pooling models (embeddings).</param>
/// <param name="Workload">What the planner placed: weight format, context, sequences, KV type, LoRA slots.</param>
/// <param name="Placement">The planner's placement: GPUs, tensor-parallel degree, bytes per GPU.</param>
/// <param name="DeviceTotalBytes">Total memory of each GPU it uses (vLLM's memory fraction is of the total).</param>
/// <param name="Adapters">LoRA adapters served on it.</param>
/// <param name="Port">The loopback port it listens on.</param>
public sealed record VllmDeployment(
    string Name,
    string ModelFolder,
    ModelFamily Family,
    WorkloadShape Workload,
    Placement Placement,
    long DeviceTotalBytes,
    IReadOnlyList<LoraModule> Adapters,
    int Port);
