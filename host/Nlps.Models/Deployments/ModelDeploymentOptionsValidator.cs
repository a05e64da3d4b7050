using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Nlps.Models.Engines;
using Nlps.Models.Store;

namespace Nlps.Models.Deployments;

/// <summary>Checks the <c>Models</c> section at start; each failure names its key.</summary>
public sealed partial class ModelDeploymentOptionsValidator : IValidateOptions<ModelDeploymentOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelDeploymentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string section = ModelDeploymentOptions.SectionName;
        if (options.CpuMemoryBytes < 0)
        {
            failures.Add($"{section}:CpuMemoryBytes must not be negative, was {options.CpuMemoryBytes}");
        }

        foreach ((string deployment, DeploymentOptions d) in options.Deployments)
        {
            string key = $"{section}:Deployments:{deployment}";
            if (!NamePattern().IsMatch(deployment))
            {
                failures.Add($"{key}: a deployment name uses lowercase letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)");
            }

            string? engine = EngineKind.Parse(d.Engine);
            if (engine is null)
            {
                failures.Add($"{key}:Engine '{d.Engine}' is not one of {EngineKind.Names}");
            }

            if (string.IsNullOrWhiteSpace(d.Model))
            {
                failures.Add($"{key}:Model is required: the id of a stored model (nlpsctl models list), or the remote endpoint's model name");
            }
            else if (engine != EngineKind.Remote)
            {
                try
                {
                    StorePaths.ValidateId(d.Model);
                }
                catch (ModelStoreException ex)
                {
                    failures.Add($"{key}:Model: {ex.Message}");
                }
            }

            if (!DeploymentWeightFormat.TryParse(d.WeightFormat, out _))
            {
                failures.Add($"{key}:WeightFormat '{d.WeightFormat}' is not one of {DeploymentWeightFormat.Names}");
            }

            if (d.MaxContext < 0)
            {
                failures.Add($"{key}:MaxContext must be 0 (the model's limit) or positive, was {d.MaxContext}");
            }

            if (d.MaxConcurrency is < 1 or > 256)
            {
                failures.Add($"{key}:MaxConcurrency must be 1..256, was {d.MaxConcurrency}");
            }

            if (d.KeepAlive is TimeSpan keepAlive && keepAlive <= TimeSpan.Zero && keepAlive != Timeout.InfiniteTimeSpan)
            {
                failures.Add($"{key}:KeepAlive must be positive (or -00:00:00.001 for never), was {keepAlive}");
            }

            if (d.Threads < 0)
            {
                failures.Add($"{key}:Threads must be 0 (all processors) or positive, was {d.Threads}");
            }

            if (engine == EngineKind.Vllm)
            {
                ValidateVllm(options, key, d, failures);
            }
            else if (engine == EngineKind.Remote)
            {
                ValidateRemote(options, key, d, failures);
            }
            else
            {
                ValidateCpuAdapters(key, d, failures);
            }

            if (d.MergeAdapter && engine != EngineKind.Cpu)
            {
                failures.Add($"{key}:MergeAdapter applies to the cpu engine only");
            }

            for (int i = 0; i < d.Roles.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(d.Roles[i]))
                {
                    failures.Add($"{key}:Roles:{i} is empty");
                }
            }

            ValidateEmbedding($"{key}:Embedding", d.Embedding, failures);
            ValidateSeq2Seq($"{key}:Seq2Seq", d.Seq2Seq, failures);
        }

        foreach ((string role, string deployment) in options.Roles)
        {
            if (!DeploymentAdapters.Exists(options, deployment))
            {
                failures.Add($"{section}:Roles:{role} names deployment '{deployment}', which is not under {section}:Deployments (nor an adapter deployment:adapter listed there)");
            }
        }

        foreach (var byRole in options.Deployments.SelectMany(d => d.Value.Roles.Select(r => (Role: r, Deployment: d.Key))).GroupBy(x => x.Role, StringComparer.Ordinal))
        {
            if (byRole.Count() > 1 && !options.Roles.ContainsKey(byRole.Key))
            {
                failures.Add($"{section}:Roles:{byRole.Key} must name the default: deployments {string.Join(" and ", byRole.Select(x => x.Deployment))} all serve role '{byRole.Key}'");
            }
        }

        foreach ((string agent, Dictionary<string, string> roles) in options.Agents)
        {
            foreach ((string role, string deployment) in roles)
            {
                if (!DeploymentAdapters.Exists(options, deployment))
                {
                    failures.Add($"{section}:Agents:{agent}:{role} names deployment '{deployment}', which is not under {section}:Deployments (nor an adapter deployment:adapter listed there)");
                }
            }
        }

        if (options.Scheduler.MaxQueuePerDeployment < 0 || options.Scheduler.MaxQueueWait <= TimeSpan.Zero || options.Scheduler.RetryAfter <= TimeSpan.Zero
            || options.Scheduler.DefaultKeepAlive <= TimeSpan.Zero && options.Scheduler.DefaultKeepAlive != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{section}:Scheduler: MaxQueuePerDeployment must not be negative and MaxQueueWait, RetryAfter and DefaultKeepAlive must be positive");
        }

        foreach ((string remote, var endpoint) in options.Remotes)
        {
            failures.AddRange(endpoint.Validate($"{section}:Remotes:{remote}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateRemote(ModelDeploymentOptions options, string key, DeploymentOptions d, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(d.Remote) || !options.Remotes.ContainsKey(d.Remote))
        {
            failures.Add($"{key}:Remote must name an endpoint under {ModelDeploymentOptions.SectionName}:Remotes, was '{d.Remote}'");
        }

        if (DeploymentTask.IsEmbedding(d.Task) is null)
        {
            failures.Add($"{key}:Task must be {DeploymentTask.Chat} or {DeploymentTask.Embedding}, was '{d.Task}'");
        }

        RefuseQueryModel(key, d, failures);
    }

    private static void ValidateVllm(ModelDeploymentOptions options, string key, DeploymentOptions d, List<string> failures)
    {
        string engines = $"{ModelDeploymentOptions.SectionName}:Engines:Vllm";
        string executable = options.Engines.Vllm.Executable;
        if (string.IsNullOrWhiteSpace(executable) || !File.Exists(executable))
        {
            failures.Add($"{engines}:Executable must be the vllm executable (e.g. /opt/vllm/bin/vllm) for {key}; '{executable}' does not exist");
        }

        if (options.Engines.Vllm.Supervision.Validate($"{engines}:Supervision") is { } supervision && !failures.Contains(supervision))
        {
            failures.Add(supervision);
        }

        if (d.Port is < 0 or > 65535)
        {
            failures.Add($"{key}:Port must be 0 (pick a free one) or 1..65535, was {d.Port}");
        }

        if (d.MaxLoraRank is < 1 or > 512)
        {
            failures.Add($"{key}:MaxLoraRank must be 1..512, was {d.MaxLoraRank}");
        }

        foreach ((string adapter, string folder) in d.Adapters)
        {
            if (!Directory.Exists(folder))
            {
                failures.Add($"{key}:Adapters:{adapter}: folder '{folder}' does not exist");
            }
        }

        RefuseQueryModel(key, d, failures);
    }

    // A separate query encoder (DPR) is two models; an engine process or endpoint serves one under the deployment's name.
    private static void RefuseQueryModel(string key, DeploymentOptions d, List<string> failures)
    {
        if (!string.IsNullOrEmpty(d.Embedding?.QueryModel))
        {
            failures.Add($"{key}:Embedding:QueryModel is for the built-in cpu engine only; deploy the query encoder as its own deployment on '{d.Engine}'");
        }
    }

    private static void ValidateCpuAdapters(string key, DeploymentOptions d, List<string> failures)
    {
        IReadOnlyList<(string Served, string Stored)> adapters = DeploymentAdapters.Of(d);
        foreach ((string served, string stored) in adapters)
        {
            if (!NamePattern().IsMatch(served))
            {
                failures.Add($"{key}:Adapters: adapter name '{served}' must use lowercase letters, digits, '.', '_' and '-' (it is served as <deployment>:{served})");
            }

            try
            {
                StorePaths.ValidateId(stored, "adapter name");
            }
            catch (ModelStoreException ex)
            {
                failures.Add($"{key}:Adapters:{served}: {ex.Message}");
            }
        }

        if (d.MergeAdapter && adapters.Count != 1)
        {
            failures.Add($"{key}:MergeAdapter needs exactly one adapter under {key}:Adapters, found {adapters.Count}");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    private static void ValidateSeq2Seq(string key, Seq2SeqDeploymentOptions? s, List<string> failures)
    {
        if (s is null)
        {
            return;
        }

        if (s.MaxNewTokens < 1)
        {
            failures.Add($"{key}:MaxNewTokens must be positive, was {s.MaxNewTokens}");
        }

        if (s.NumBeams is < 1 or > Seq2SeqDeploymentOptions.MaxBeams)
        {
            failures.Add($"{key}:NumBeams must be 1 to {Seq2SeqDeploymentOptions.MaxBeams}, was {s.NumBeams}");
        }

        if (!double.IsFinite(s.LengthPenalty))
        {
            failures.Add($"{key}:LengthPenalty must be a finite number, was {s.LengthPenalty}");
        }

        if (!EmbeddingDeploymentOptionsReader.TryTruncation(s.Truncation, out _))
        {
            failures.Add($"{key}:Truncation must be refuse or truncate, was '{s.Truncation}'");
        }
    }

    private static void ValidateEmbedding(string key, EmbeddingDeploymentOptions? e, List<string> failures)
    {
        if (e is null)
        {
            return;
        }

        if (e.Pooling?.Trim().ToLowerInvariant() is not ("cls" or "mean" or "max" or "lasttoken"))
        {
            failures.Add($"{key}:Pooling must be cls, mean, max or lasttoken, was '{e.Pooling}'");
        }

        if (!EmbeddingDeploymentOptionsReader.TryTruncation(e.Truncation, out _))
        {
            failures.Add($"{key}:Truncation must be refuse or truncate, was '{e.Truncation}'");
        }

        if (!EmbeddingDeploymentOptionsReader.TrySide(e.DefaultSide, out _))
        {
            failures.Add($"{key}:DefaultSide must be query or passage, was '{e.DefaultSide}'");
        }

        if (e.QueryModel is { Length: > 0 } query)
        {
            try
            {
                StorePaths.ValidateId(query);
            }
            catch (ModelStoreException ex)
            {
                failures.Add($"{key}:QueryModel: {ex.Message}");
            }
        }
    }
}
