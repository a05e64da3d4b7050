namespace Nlps.Models.Deployments;

/// <summary>One model deployment (<c>Models:Deployments:&lt;name&gt;</c>): a stored model on the built-in CPU engine or on vLLM, or a model of a remote endpoint.</summary>
public sealed class DeploymentOptions
{
    /// <summary>The stored model's id (<c>nlpsctl models list</c>); for a remote deployment the model name the endpoint serves. Required.</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>cpu (the built-in engine), vllm (a supervised vLLM process on the planned GPUs) or remote. Default cpu.</summary>
    public string Engine { get; set; } = "cpu";

    /// <summary>For Engine = remote: the endpoint's name under <c>Models:Remotes</c>.</summary>
    public string? Remote { get; set; }

    /// <summary>For Engine = remote: what the endpoint's model is, chat or embedding. Default chat (cpu and vllm deployments read it from the stored model).</summary>
    public string Task { get; set; } = DeploymentTask.Chat;

    /// <summary>For Engine = vllm: the loopback port; 0 picks a free one at each start. Default 0.</summary>
    public int Port { get; set; }

    /// <summary>
    /// LoRA adapters served on this base as <c>&lt;deployment&gt;:&lt;name&gt;</c>. For Engine = cpu: name → an adapter stored
    /// on <see cref="Model"/> (<c>nlpsctl models import &lt;adapter&gt; --base &lt;model&gt;</c>), or a list of stored adapter
    /// names served under their own names; for Engine = vllm: name → adapter folder. Default none.
    /// </summary>
    public Dictionary<string, string> Adapters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>For Engine = cpu with exactly one adapter: merge it into the weights at load instead of applying it per request. Default false.</summary>
    public bool MergeAdapter { get; set; }

    /// <summary>For Engine = vllm with adapters: the largest adapter rank (vLLM pre-allocates slots of it). Default 16.</summary>
    public int MaxLoraRank { get; set; } = 16;

    /// <summary>Model roles this deployment serves by default, e.g. <c>chat</c>. Default none: agents reach it only by explicit mapping.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>How weights are held in memory: auto (the checkpoint's precision), f32, bf16 or int8. Default auto.</summary>
    public string WeightFormat { get; set; } = "auto";

    /// <summary>Most tokens (prompt + output) per request; 0 = the model's limit, capped at 8192. Default 0.</summary>
    public int MaxContext { get; set; }

    /// <summary>Requests served at once; more wait in the scheduler's queue. Default 2.</summary>
    public int MaxConcurrency { get; set; } = 2;

    /// <summary>Loaded at start and never evicted. Default false.</summary>
    public bool Pinned { get; set; }

    /// <summary>Idle time before it is unloaded; null for the scheduler's default, -00:00:00.001 (Timeout.InfiniteTimeSpan) for never.</summary>
    public TimeSpan? KeepAlive { get; set; }

    /// <summary>Kernel threads; 0 = one per logical processor. Default 0.</summary>
    public int Threads { get; set; }

    /// <summary>Settings for an encoder model (served under an embedding role such as <c>embed</c>); ignored for chat models.</summary>
    public EmbeddingDeploymentOptions Embedding { get; set; } = new();

    /// <summary>Settings for a seq2seq model (BART, KoBART; served under a generation role such as <c>generate</c>); ignored for others.</summary>
    public Seq2SeqDeploymentOptions Seq2Seq { get; set; } = new();
}
