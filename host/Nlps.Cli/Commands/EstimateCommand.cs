using System.CommandLine;
using Nlps.Cli.Estimation;
using Nlps.Models;
using Nlps.Models.Estimation;

namespace Nlps.Cli.Commands;

/// <summary>
/// <c>nlpsctl estimate --config config.json --quant MODE [--context N] [--sequences N]</c>: the memory a model needs per
/// device, by cause, for every tensor-parallel degree it can be split into. Offline: no nlpsd needed. When the config
/// sits beside the model's safetensors files, weights are counted exactly from their headers.
/// Exit 0 when estimated, 2 on bad input, 4 when the context exceeds the model's limit.
/// </summary>
internal static class EstimateCommand
{
    public const int ContextTooLong = 4;

    public static Command Create(GlobalOptions global)
    {
        var config = new Option<FileInfo>("--config") { Description = "The model's config.json (Hugging Face layout)", Required = true };
        var quant = new Option<string>("--quant") { Description = "Weight storage: fp32, bf16, fp16, fp8, int8, int4", DefaultValueFactory = _ => "bf16" };
        var kv = new Option<string>("--kv-cache") { Description = "KV cache element type: bf16, fp8, fp32", DefaultValueFactory = _ => "bf16" };
        var context = new Option<int?>("--context") { Description = "Longest sequence in tokens (default: the model's limit)" };
        var sequences = new Option<int>("--sequences") { Description = "Sequences decoded at once", DefaultValueFactory = _ => 1 };
        var tp = new Option<int?>("--tp") { Description = "Only this tensor-parallel degree (default: 1, 2, 4 and 8)" };
        var command = new Command("estimate", "Memory a model needs per device (weights, KV cache, workspace), offline") { config, quant, kv, context, sequences, tp };
        command.SetAction((result, ct) =>
        {
            var request = new EstimateRequest(
                result.GetValue(config)!,
                result.GetValue(quant)!,
                result.GetValue(kv)!,
                result.GetValue(context),
                result.GetValue(sequences),
                result.GetValue(tp));
            return RunAsync(request, result.GetValue(global.Json), Console.Out, Console.Error, ct);
        });
        return command;
    }

    internal static async Task<int> RunAsync(EstimateRequest request, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ModelEstimate estimate;
        try
        {
            estimate = await ModelEstimate.ComputeAsync(request, new MemoryEstimator(), cancellationToken);
        }
        catch (Exception ex) when (ex is ModelFormatException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"nlpsctl: invalid_estimate: {ex.Message}");
            return 2;
        }

        if (json)
        {
            await output.WriteLineAsync(EstimateReport.Json(estimate));
        }
        else
        {
            EstimateReport.Write(output, estimate);
        }

        return estimate.ContextRefusal is null ? 0 : ContextTooLong;
    }
}
