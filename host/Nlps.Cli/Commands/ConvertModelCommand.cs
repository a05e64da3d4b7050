using System.CommandLine;
using System.Text.Json;
using Nlps.Formats.Gguf;
using Nlps.Formats.Safetensors;
using Nlps.Inference.Gguf;
using Nlps.Inference.Models;

namespace Nlps.Cli.Commands;

/// <summary>
/// <c>nlpsctl models convert &lt;folder&gt; --to gguf --type q8_0|q4_0|q4_k|q6_k|f16|bf16|f32 [--output file]</c>: exports a Hugging
/// Face decoder folder as a GGUF file for llama.cpp-based tools (LM Studio, Ollama). Offline: nothing talks to nlpsd.
/// </summary>
internal static class ConvertModelCommand
{
    private static readonly Dictionary<string, GgufTensorType> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["f32"] = GgufTensorType.F32,
        ["f16"] = GgufTensorType.F16,
        ["bf16"] = GgufTensorType.BF16,
        ["q8_0"] = GgufTensorType.Q8_0,
        ["q4_0"] = GgufTensorType.Q4_0,
        ["q4_k"] = GgufTensorType.Q4_K,
        ["q6_k"] = GgufTensorType.Q6_K,
    };

    public static Command Create(GlobalOptions global)
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "A model folder: config.json, safetensors weights, tokenizer.json" };
        var to = new Option<string>("--to") { Description = "Target format (gguf)", Required = true };
        var type = new Option<string>("--type") { Description = "Matrix type: q8_0, q4_0, q4_k, q6_k, f16, bf16 or f32 (norms stay f32)", DefaultValueFactory = _ => "f16" };
        var output = new Option<FileInfo?>("--output") { Description = "Output file (default: <folder name>.<type>.gguf in the current directory)" };
        var command = new Command("convert", "Export a model folder as GGUF for llama.cpp-based tools") { folder, to, type, output };
        command.SetAction(async (result, cancellationToken) =>
        {
            string format = result.GetValue(to)!;
            string typeName = result.GetValue(type)!;
            if (!string.Equals(format, "gguf", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync($"error: unsupported_format: --to {format} (only gguf)");
                return 2;
            }

            if (!Types.TryGetValue(typeName, out GgufTensorType tensorType))
            {
                await Console.Error.WriteLineAsync($"error: unsupported_type: --type {typeName} (one of {string.Join(", ", Types.Keys)})");
                return 2;
            }

            DirectoryInfo source = result.GetValue(folder)!;
            string path = result.GetValue(output)?.FullName ?? Path.GetFullPath($"{source.Name}.{typeName.ToLowerInvariant()}.gguf");
            try
            {
                int tensors = await Task.Run(() => GgufExporter.Export(source.FullName, path, tensorType), cancellationToken);
                Console.WriteLine(result.GetValue(global.Json)
                    ? JsonSerializer.Serialize(new Dictionary<string, object> { ["output"] = path, ["type"] = typeName.ToLowerInvariant(), ["tensors"] = tensors, ["bytes"] = new FileInfo(path).Length })
                    : $"wrote {path} ({tensors} tensors, {typeName.ToLowerInvariant()}, {new FileInfo(path).Length} bytes)");
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or ModelConfigException or SafetensorsFormatException
                or GgufFormatException or NotSupportedException or InvalidDataException or KeyNotFoundException)
            {
                await Console.Error.WriteLineAsync($"error: convert_failed: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
