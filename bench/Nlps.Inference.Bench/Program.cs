using System.Diagnostics;
using System.Globalization;
using Nlps.Inference.Bench;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Tensors;

// Decode and prefill speed of the CPU engine on a random model with a real model's shapes, against the memory-read
// bandwidth and fp32 FMA peak measured in the same run. Usage: dotnet run -c Release --project bench/Nlps.Inference.Bench [-- shape format threads runs gemm|matvec decodeSteps]
// Encoder: dotnet bench/Nlps.Inference.Bench/bin/Release/net10.0/Nlps.Inference.Bench.dll encoder [threads] [runs] [batches, e.g. 1,32]
if (args.Length > 0 && args[0] == "encoder")
{
    EncoderBench.Run(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3,
        args.Length > 3 ? [.. args[3].Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture))] : [1, 32]);
    return 0;
}

// LoRA: decode with an unmerged rank-16 adapter on q,k,v,o vs the same base, alternating: [-- lora <f32|bf16|int8|int4> <threads> <runs> <steps>]
if (args.Length > 0 && args[0] == "lora")
{
    return LoraBench.Run(
        args.Length > 1 ? args[1] : "int8",
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.ProcessorCount,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3,
        args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 32);
}

// Seq2seq (BART): dotnet bench/Nlps.Inference.Bench/bin/Release/net10.0/Nlps.Inference.Bench.dll seq2seq [threads] [runs]
if (args.Length > 0 && args[0] == "seq2seq")
{
    Seq2SeqBench.Run(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
    return 0;
}

// The prefill products alone, f32 GEMM vs integer GEMM vs matvec: [-- gemm <threads> <runs> <tokens>]
if (args.Length > 0 && args[0] == "gemm")
{
    return GemmBench.Run(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 128);
}

// GGUF side by side with llama.cpp: [-- gguf-write <folder> [f16,q8_0,q4_0,q4_k,q6_k]], [-- gguf <file> <f32|bf16|int8|int4|auto> <threads> <runs>] (see bench/llamacpp) and [-- gguf-scan <file> <format> <seeds>].
if (args.Length > 0 && args[0].StartsWith("gguf", StringComparison.Ordinal))
{
    return GgufBench.Execute(args);
}

string shape = args.Length > 0 ? args[0] : "llama3.2-1b";
string format = args.Length > 1 ? args[1] : "bf16";
int threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
int runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;

// "matvec" runs prefill the way the engine did before the GEMM (four tokens per weight-row read, 32-token chunks), so
// the two can be alternated in one build on a shared machine.
string route = args.Length > 4 ? args[4] : "gemm";
var options = route switch
{
    "gemm" => new CpuEngineOptions { Threads = threads, MaxContextTokens = 1024 },
    "matvec" => new CpuEngineOptions { Threads = threads, MaxContextTokens = 1024, PrefillChunkTokens = 32, GemmMinRows = int.MaxValue },
    _ => throw new ArgumentException($"unknown prefill route {route} (gemm, matvec)"),
};
// Decode steps per run: default 32; fewer keep a prefill comparison short on a loaded machine.
int decodeSteps = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 32;
const int Warmup = 4, PrefillTokens = 512;

LlamaConfig config = ModelShapes.Get(shape);

double bandwidth = BandwidthProbe.GigabytesPerSecond(2L << 30, threads, passes: 5);
Console.WriteLine($"memory read bandwidth ({threads} threads, 2 GiB, best of 5): {bandwidth:F1} GB/s");
var (peak, peakPerCpu) = FmaPeakProbe.GigaflopsPerSecond(threads, passes: 3);
Console.WriteLine($"fp32 FMA-512 peak ({threads} threads, best of 3): {peak:F0} GFLOP/s wall, {peakPerCpu:F0} GFLOP per CPU-second");

ElementType type = format switch
{
    "f32" => ElementType.F32,
    "bf16" => ElementType.BF16,
    "int8" => ElementType.Int8,
    "int4" => ElementType.Int4,
    _ => throw new ArgumentException($"unknown format {format} (f32, bf16, int8, int4)"),
};
using LlamaModel model = SyntheticModel.Create(config, type, options);
double gigabytes = model.StreamedBytesPerToken / 1e9;
Console.WriteLine($"{shape} {format}: {gigabytes:F2} GB of weights per decode step, limit {bandwidth / gigabytes:F1} tok/s");

var logits = new float[config.VocabSize];
var prompt = Enumerable.Range(0, PrefillTokens).Select(i => (i * 7919) % config.VocabSize).ToArray();
var decode = new List<double>();
var prefill = new List<double>();
var prefillCpuSeconds = new List<double>();
for (int run = 0; run < runs; run++)
{
    using KvCache cache = model.CreateCache(PrefillTokens + Warmup + decodeSteps + 1);
    TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
    long start = Stopwatch.GetTimestamp();
    model.Prefill(prompt, cache, logits);
    prefill.Add(PrefillTokens / Stopwatch.GetElapsedTime(start).TotalSeconds);
    prefillCpuSeconds.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);

    KvCache[] caches = [cache];
    int[] token = [1];
    for (int i = 0; i < Warmup; i++)
    {
        model.DecodeBatch(token, caches, logits);
    }

    cpu = Process.GetCurrentProcess().TotalProcessorTime;
    long allocated = GC.GetAllocatedBytesForCurrentThread();
    start = Stopwatch.GetTimestamp();
    for (int i = 0; i < decodeSteps; i++)
    {
        token[0] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
        model.DecodeBatch(token, caches, logits);
    }

    decode.Add(decodeSteps / Stopwatch.GetElapsedTime(start).TotalSeconds);
    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
    double decodeCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    Console.WriteLine($"run {run + 1}: prefill {prefill[^1]:F1} tok/s ({prefillCpuSeconds[^1]:F2} CPU-s), decode {decode[^1]:F2} tok/s ({decodeSteps * gigabytes / decodeCpuSeconds:F1} GB streamed per CPU-s), {allocated} B allocated in {decodeSteps} steps");
}

decode.Sort();
prefill.Sort();
prefillCpuSeconds.Sort();
long matvecParameters = (long)config.Layers * ((long)config.HiddenSize * ((config.Heads + (2 * config.KvHeads)) * config.HeadDim)
    + ((long)config.Heads * config.HeadDim * config.HiddenSize) + (3L * config.HiddenSize * config.IntermediateSize)) + ((long)config.VocabSize * config.HiddenSize);
double prefillFlops = 2.0 * matvecParameters;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"decode tok/s min/med/max {decode[0]:F2} / {decode[^((runs + 1) / 2)]:F2} / {decode[^1]:F2}; streamed {decode[^((runs + 1) / 2)] * gigabytes:F1} GB/s = {decode[^((runs + 1) / 2)] * gigabytes / bandwidth:P0} of bandwidth"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"prefill ({PrefillTokens} tokens, {route}) tok/s min/med/max {prefill[0]:F1} / {prefill[^((runs + 1) / 2)]:F1} / {prefill[^1]:F1}; {prefill[^((runs + 1) / 2)] * prefillFlops / 1e9:F0} GFLOP/s = {prefill[^((runs + 1) / 2)] * prefillFlops / 1e9 / peak:P0} of the wall peak"));
double perCpuSecond = PrefillTokens * prefillFlops / prefillCpuSeconds[(runs - 1) / 2] / 1e9;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"prefill GFLOP per CPU-second (median run) {perCpuSecond:F0} = {perCpuSecond / peakPerCpu:P0} of the probe's {peakPerCpu:F0}"));
return 0;
