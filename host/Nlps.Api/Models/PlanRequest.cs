using System.Text.Json;
using Nlps.Models.Estimation;

namespace Nlps.Api.Models;

/// <summary>The body of <c>POST /v1/admin/plan</c> (and of <c>nlpsctl plan</c>'s file): the deployments to place on this box.</summary>
/// <param name="Deployments">What to place, in any order; the planner orders them itself.</param>
/// <param name="IncludeCpu">Whether host RAM is offered to deployments that allow the CPU. Default true.</param>
public sealed record PlanRequest(IReadOnlyList<PlanDeploymentRequest>? Deployments, bool IncludeCpu = true);

/// <summary>One wanted deployment: a stored model (<paramref name="Model"/>) or a config.json inline (<paramref name="Config"/>) for a model not on the box yet.</summary>
/// <param name="Id">The deployment's name, unique in the request.</param>
/// <param name="Model">A model id in the store: weights come exactly from its safetensors headers.</param>
/// <param name="Config">A config.json object: weights are derived from the architecture.</param>
/// <param name="Quantization">Fp32, Bf16, Fp16, Fp8, Int8 or Int4. Default Bf16.</param>
/// <param name="MaxContext">Longest sequence in tokens.</param>
/// <param name="MaxSequences">Sequences served at once.</param>
/// <param name="KvCache">Bf16, Fp8 or Fp32. Default Bf16.</param>
/// <param name="LoraAdapters">LoRA slots to reserve (with <paramref name="LoraRank"/>).</param>
/// <param name="LoraRank">Largest adapter rank the slots take.</param>
/// <param name="Pinned">Placed first and never evicted.</param>
/// <param name="AllowTensorParallel">Whether it may be split over several GPUs. Default true.</param>
/// <param name="AllowedDevices">Device ids (gpu0, gpu1/mig1.0, cpu) it may use; null for any.</param>
/// <param name="AllowCpu">Whether the built-in CPU engine may take it when no GPU can.</param>
public sealed record PlanDeploymentRequest(
    string Id,
    string? Model,
    JsonElement? Config,
    int MaxContext,
    int MaxSequences,
    QuantizationMode Quantization = QuantizationMode.Bf16,
    KvCacheType KvCache = KvCacheType.Bf16,
    int LoraAdapters = 0,
    int LoraRank = 0,
    bool Pinned = false,
    bool AllowTensorParallel = true,
    IReadOnlyList<string>? AllowedDevices = null,
    bool AllowCpu = false);
