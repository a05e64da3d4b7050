using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Nlps.Cli.Output;
using Nlps.Models.Estimation;

namespace Nlps.Cli.Estimation;

/// <summary>
/// Prints a <see cref="ModelEstimate"/> as a table or as JSON. The JSON is the documented machine-readable form:
/// <c>model</c>, <c>parameterCount</c>, <c>weightsSource</c> (safetensors | config), <c>workload</c>
/// (quantization, kvCache, maxContext, maxSequences), <c>contextRefusal</c> (null or why), <c>estimates[]</c>
/// (tensorParallel, perDevice bytes by cause and totalBytes, kvBytesPerTokenPerDevice, kvTokens) and
/// <c>unsplittable[]</c> (tensorParallel, reason).
/// </summary>
internal static class EstimateReport
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static void Write(TextWriter output, ModelEstimate estimate)
    {
        ModelArchitecture a = estimate.Model.Architecture;
        WorkloadShape w = estimate.Workload;
        output.WriteLine($"{estimate.Model.Id}: {a.ModelType}, {estimate.Model.Weights.ParameterCount:N0} parameters (counted from {Source(estimate)})");
        output.WriteLine($"workload: {Name(w.Quantization)} weights, {Name(w.KvCache)} KV cache, {w.MaxContext:N0} tokens context, {w.MaxSequences} sequence(s)");
        if (estimate.ContextRefusal is { } refusal)
        {
            output.WriteLine($"REFUSED: {refusal}");
            return;
        }

        output.WriteLine();
        Table.Write(output, ["TP", "PER DEVICE", "WEIGHTS", "KV CACHE", "WORKSPACE", "COMM", "KV BYTES/TOKEN", "KV TOKENS"], estimate.Estimates.Select(e => new[]
        {
            e.TensorParallel.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ByteSize.Format(e.PerDevice.TotalBytes),
            ByteSize.Format(e.PerDevice.WeightBytes),
            ByteSize.Format(e.PerDevice.KvCacheBytes),
            ByteSize.Format(e.PerDevice.WorkspaceBytes),
            ByteSize.Format(e.PerDevice.CommunicationBytes),
            e.KvBytesPerTokenPerDevice.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            e.KvTokens.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        }));
        foreach ((int tp, string reason) in estimate.Unsplittable)
        {
            output.WriteLine($"TP {tp}: not possible: {reason}");
        }
    }

    public static string Json(ModelEstimate estimate)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("model", estimate.Model.Id);
            json.WriteString("modelType", estimate.Model.Architecture.ModelType);
            json.WriteNumber("parameterCount", estimate.Model.Weights.ParameterCount);
            json.WriteString("weightsSource", Source(estimate));
            json.WriteStartObject("workload");
            json.WriteString("quantization", Name(estimate.Workload.Quantization));
            json.WriteString("kvCache", Name(estimate.Workload.KvCache));
            json.WriteNumber("maxContext", estimate.Workload.MaxContext);
            json.WriteNumber("maxSequences", estimate.Workload.MaxSequences);
            json.WriteEndObject();
            json.WriteString("contextRefusal", estimate.ContextRefusal);
            json.WriteStartArray("estimates");
            foreach (MemoryEstimate e in estimate.Estimates)
            {
                json.WriteStartObject();
                json.WriteNumber("tensorParallel", e.TensorParallel);
                json.WriteStartObject("perDevice");
                json.WriteNumber("weightBytes", e.PerDevice.WeightBytes);
                json.WriteNumber("kvCacheBytes", e.PerDevice.KvCacheBytes);
                json.WriteNumber("workspaceBytes", e.PerDevice.WorkspaceBytes);
                json.WriteNumber("communicationBytes", e.PerDevice.CommunicationBytes);
                json.WriteNumber("loraBytes", e.PerDevice.LoraBytes);
                json.WriteNumber("totalBytes", e.PerDevice.TotalBytes);
                json.WriteEndObject();
                json.WriteNumber("kvBytesPerTokenPerDevice", e.KvBytesPerTokenPerDevice);
                json.WriteNumber("kvTokens", e.KvTokens);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("unsplittable");
            foreach ((int tp, string reason) in estimate.Unsplittable)
            {
                json.WriteStartObject();
                json.WriteNumber("tensorParallel", tp);
                json.WriteString("reason", reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Source(ModelEstimate estimate) => estimate.Model.Weights.Source == "safetensors" ? "safetensors" : "config";

    private static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
