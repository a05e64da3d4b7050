using System.Globalization;
using Nlps.Inference.Tensors;
using Nlps.Models.Deployments;

namespace Nlps.Daemon.Engine;

/// <summary>
/// <c>nlpsd engine serve</c>'s command line, in vLLM's spelling where vLLM has the flag:
/// <c>--model DIR --port N [--host 127.0.0.1] [--served-model-name NAME…] [--max-model-len N] [--max-num-seqs N]
/// [--dtype auto|f32|bf16|int8|int4] [--threads N] [--runner auto|generate|pooling]</c>; the runner (vLLM's word for chat
/// vs embeddings) only confirms what config.json says the model is.
/// </summary>
internal sealed record EngineServeArguments(
    string Model,
    string Host,
    int Port,
    IReadOnlyList<string> ServedModelNames,
    int MaxModelLength,
    int MaxSequences,
    WeightFormat WeightFormat,
    int Threads,
    string Runner = "auto")
{
    public const string Usage =
        "usage: nlpsd engine serve --model DIR --port N [--host 127.0.0.1] [--served-model-name NAME...] [--max-model-len N] [--max-num-seqs N] [--dtype auto|f32|bf16|int8|int4] [--threads N] [--runner auto|generate|pooling]";

    /// <summary>The parsed arguments, or null with the reason in <paramref name="error"/>.</summary>
    public static EngineServeArguments? Parse(IReadOnlyList<string> args, out string error)
    {
        string? model = null;
        string host = "127.0.0.1";
        int port = 0, maxModelLength = 0, maxSequences = 2, threads = 0;
        var names = new List<string>();
        WeightFormat format = WeightFormat.Auto;
        string runner = "auto";
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            if (flag == "--served-model-name")
            {
                while (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    names.Add(args[++i]);
                }

                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{flag} needs a value";
                return null;
            }

            string value = args[++i];
            bool ok = flag switch
            {
                "--model" => (model = value).Length > 0,
                "--host" => (host = value).Length > 0,
                "--port" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536,
                "--max-model-len" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out maxModelLength),
                "--max-num-seqs" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out maxSequences) && maxSequences > 0,
                "--threads" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out threads),
                "--dtype" => DeploymentWeightFormat.TryParse(value, out format),
                "--runner" => (runner = value) is "auto" or "generate" or "pooling",
                _ => false,
            };
            if (!ok)
            {
                error = $"{flag} {value}: unknown flag or bad value";
                return null;
            }
        }

        if (model is null || port == 0)
        {
            error = "--model and --port are required";
            return null;
        }

        if (names.Count == 0 && args.Contains("--served-model-name"))
        {
            error = "--served-model-name needs at least one name";
            return null;
        }

        error = string.Empty;
        return new EngineServeArguments(model, host, port, names, maxModelLength, maxSequences, format, threads, runner);
    }
}
