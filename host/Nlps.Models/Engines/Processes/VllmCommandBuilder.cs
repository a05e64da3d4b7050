using System.Globalization;
using Nlps.Models.Estimation;

namespace Nlps.Models.Engines.Processes;

/// <summary>
/// The <c>vllm serve</c> command line for a planned GPU deployment. Everything vLLM would otherwise decide for itself
/// comes from the plan: the GPUs (<c>CUDA_VISIBLE_DEVICES</c>), the tensor-parallel degree, and the memory fraction,
/// which is the deployment's planned bytes per GPU over the GPU's total (rounded up to 1e-4), so two deployments on
/// one GPU each take what the planner gave them and never vLLM's default 0.9.
/// </summary>
public static class VllmCommandBuilder
{
    public static EngineCommand Build(VllmDeployment deployment, VllmOptions options)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(options);
        if (deployment.Placement.OnCpu)
        {
            throw new ArgumentException($"deployment '{deployment.Name}' is placed on the CPU; vLLM serves GPU deployments", nameof(deployment));
        }

        var args = new List<string>
        {
            "serve", deployment.ModelFolder,
            "--host", "127.0.0.1",
            "--port", Number(deployment.Port),
            "--served-model-name", deployment.Name,
            "--tensor-parallel-size", Number(deployment.Placement.TensorParallel),
            "--gpu-memory-utilization", MemoryFraction(deployment.Placement.PerDevice.TotalBytes, deployment.DeviceTotalBytes),
            "--max-model-len", Number(deployment.Workload.MaxContext),
            "--max-num-seqs", Number(deployment.Workload.MaxSequences),
        };
        args.AddRange(Precision(deployment.Workload.Quantization));
        if (deployment.Workload.KvCache == KvCacheType.Fp8)
        {
            args.AddRange(["--kv-cache-dtype", "fp8"]);
        }

        if (deployment.Family == ModelFamily.Encoder)
        {
            args.AddRange(["--runner", "pooling"]);
        }

        if (deployment.Adapters.Count > 0)
        {
            LoraBudget lora = deployment.Workload.Lora
                ?? throw new ArgumentException($"deployment '{deployment.Name}' has adapters but its workload budgets no LoRA slots", nameof(deployment));
            args.Add("--enable-lora");
            args.Add("--lora-modules");
            args.AddRange(deployment.Adapters.Select(a => $"{a.Name}={a.Path}"));
            args.AddRange(["--max-loras", Number(lora.MaxAdapters), "--max-lora-rank", Number(lora.MaxRank)]);
        }

        args.AddRange(options.ExtraArguments);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CUDA_VISIBLE_DEVICES"] = string.Join(',', deployment.Placement.Devices.Select(GpuIndex)),

            // The appliance is on-premise: vLLM must not report usage anywhere.
            ["VLLM_NO_USAGE_STATS"] = "1",
        };
        return new EngineCommand(options.Executable, args, environment, deployment.Port);
    }

    /// <summary>bytes ÷ total, rounded up to four decimals (the reserve the planner keeps covers the rounding).</summary>
    public static string MemoryFraction(long bytes, long totalBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalBytes);
        if (bytes <= 0 || bytes > totalBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"a deployment's bytes must be within the GPU's {totalBytes}");
        }

        decimal fraction = Math.Ceiling(bytes * 10_000m / totalBytes) / 10_000m;
        return fraction.ToString("0.0###", CultureInfo.InvariantCulture);
    }

    // 16-bit and fp32 checkpoints are served at that dtype; fp8 quantizes a 16-bit checkpoint at load; int8 and int4
    // expect a checkpoint quantized that way (W8A8 compressed-tensors, AWQ g128 — what the estimator counts).
    private static string[] Precision(QuantizationMode mode) => mode switch
    {
        QuantizationMode.Fp32 => ["--dtype", "float32"],
        QuantizationMode.Bf16 => ["--dtype", "bfloat16"],
        QuantizationMode.Fp16 => ["--dtype", "float16"],
        QuantizationMode.Fp8 => ["--dtype", "bfloat16", "--quantization", "fp8"],
        QuantizationMode.Int8 => ["--dtype", "bfloat16", "--quantization", "compressed-tensors"],
        QuantizationMode.Int4 => ["--dtype", "float16", "--quantization", "awq"],
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown weight format"),
    };

    private static string GpuIndex(string device) =>
        device.StartsWith("gpu", StringComparison.Ordinal) && int.TryParse(device.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            ? Number(index)
            : throw new NotSupportedException($"device '{device}' is not a whole GPU; MIG slices are not served through vLLM yet");

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
