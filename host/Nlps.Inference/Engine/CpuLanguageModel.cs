using System.Runtime.CompilerServices;
using Nlps.Inference.ChatTemplates;
using Nlps.Inference.Gguf;
using Nlps.Inference.Models;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Models.Lora;
using Nlps.Inference.Sampling;
using Nlps.Inference.Tokenization;

namespace Nlps.Inference.Engine;

/// <summary>
/// The built-in CPU engine for one model folder (config.json, safetensors, tokenizer.json, tokenizer_config.json) or
/// GGUF file. Each generation has its own KV cache and sampler; concurrent generations are decoded together by a
/// <see cref="BatchDecoder"/>, one step for all of them, up to <see cref="CpuEngineOptions.MaxRunningSequences"/>.
/// LoRA adapters named in <see cref="CpuEngineOptions.Adapters"/> are loaded beside the weights; <see cref="WithAdapter"/>
/// gives a view of the model that generates with one of them, and such generations batch with the base model's.
/// </summary>
public sealed class CpuLanguageModel : ILanguageModel
{
    private readonly LlamaModel _model;
    private readonly HashSet<int> _endOfSequence;
    private readonly BatchDecoder _batch;
    private readonly Dictionary<string, LoraAdapter> _adapters;

    private CpuLanguageModel(string id, LlamaModel model, ITokenizer tokenizer, IChatTemplate? chatTemplate, HashSet<int> endOfSequence, CpuEngineOptions options)
    {
        Id = id;
        _model = model;
        _adapters = options.Adapters.ToDictionary(a => a.Key, a => model.LoadAdapter(a.Value, a.Key), StringComparer.Ordinal);
        _batch = new BatchDecoder(model, options.MaxRunningSequences, options.MaxQueuedSequences);
        Tokenizer = tokenizer;
        ChatTemplate = chatTemplate;
        _endOfSequence = endOfSequence;
    }

    public string Id { get; }

    public ITokenizer Tokenizer { get; }

    public IChatTemplate? ChatTemplate { get; }

    public int MaxContextTokens => _model.MaxContextTokens;

    /// <summary>The decoder underneath, for batch use and measurement.</summary>
    public LlamaModel Decoder => _model;

    /// <summary>Sequences running and waiting, and the KV-cache memory each running one holds.</summary>
    public EngineLoad CurrentLoad => _batch.Load();

    /// <summary>The LoRA adapters loaded beside the weights, by name.</summary>
    public IReadOnlyCollection<string> AdapterNames => _adapters.Keys;

    /// <summary>Bytes the loaded adapters' A and B matrices hold (f32).</summary>
    public long AdapterBytes => _adapters.Values.Sum(a => a.ByteSize);

    /// <summary>Tokens that end a generation on their own: config.json's eos_token_id plus the family's end-of-turn tokens.</summary>
    public IReadOnlyCollection<int> EndOfSequenceTokens => _endOfSequence;

    /// <summary>
    /// Loads a model folder (config.json, safetensors, tokenizer.json), or a GGUF file (path ending in .gguf) with its
    /// embedded tokenizer and chat template. Bad or unsupported files throw with the file and key or tensor named.
    /// </summary>
    public static CpuLanguageModel Load(string folder, CpuEngineOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (folder.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) && File.Exists(folder))
        {
            return LoadGguf(folder, options, timeProvider);
        }

        string tokenizerPath = Path.Combine(folder, "tokenizer.json");
        if (!File.Exists(tokenizerPath))
        {
            throw new ModelConfigException($"{folder}: tokenizer.json is missing");
        }

        ITokenizer tokenizer = TokenizerJson.Load(tokenizerPath);
        IChatTemplate? template = ChatTemplateResolver.FromModelFolder(folder, timeProvider);
        return Create(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), LlamaModel.Load(folder, options), tokenizer, template, folder, options);
    }

    private static CpuLanguageModel LoadGguf(string path, CpuEngineOptions? options, TimeProvider? timeProvider)
    {
        using GgufCheckpoint file = GgufCheckpoint.Open(path);
        ITokenizer tokenizer = GgufTokenizer.Read(file.Metadata);
        string? text = file.Metadata.String(GgufTokenizer.ChatTemplateKey);
        IChatTemplate? template = text is null ? null : ChatTemplateResolver.Recognise(text, path, timeProvider);
        return Create(Path.GetFileNameWithoutExtension(path), LlamaModel.FromGguf(file, options), tokenizer, template, path, options);
    }

    private static CpuLanguageModel Create(string id, LlamaModel model, ITokenizer tokenizer, IChatTemplate? template, string origin, CpuEngineOptions? options)
    {
        try
        {
            if (tokenizer.VocabSize > model.Config.VocabSize)
            {
                throw new ModelConfigException($"{origin}: the tokenizer has {tokenizer.VocabSize} ids but the model's vocabulary is {model.Config.VocabSize}");
            }

            var endOfSequence = new HashSet<int>(model.Config.EosTokenIds);
            foreach (string token in (string[])["<|eot_id|>", "<|eom_id|>", "<|end_of_text|>", "<|im_end|>", "<|endoftext|>", "</s>"])
            {
                if (tokenizer.TokenToId(token) is int tokenId && tokenizer.IsSpecial(tokenId))
                {
                    endOfSequence.Add(tokenId);
                }
            }

            return new CpuLanguageModel(id, model, tokenizer, template, endOfSequence, options ?? new CpuEngineOptions());
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// This model generating with loaded adapter <paramref name="adapter"/> (unmerged); it shares the weights, the
    /// decoder and the queue with the base model and is valid as long as it. Its <see cref="ILanguageModel.Id"/> is
    /// <c>model:adapter</c>. An unknown name throws <see cref="ArgumentException"/> naming the loaded ones.
    /// </summary>
    public ILanguageModel WithAdapter(string adapter)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapter);
        return _adapters.TryGetValue(adapter, out LoraAdapter? loaded)
            ? new AdaptedLanguageModel(this, loaded)
            : throw new ArgumentException($"model '{Id}' has no adapter '{adapter}' (loaded: {(_adapters.Count == 0 ? "none" : string.Join(", ", _adapters.Keys.Order(StringComparer.Ordinal)))})", nameof(adapter));
    }

    public IReadOnlyList<int> EncodeChat(IReadOnlyList<ChatTurn> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        IChatTemplate template = ChatTemplate
            ?? throw new InvalidOperationException($"model '{Id}' has no chat template (tokenizer_config.json chat_template); use a raw prompt");
        return ChatPrompt.Encode(Tokenizer, template.Render(messages, addGenerationPrompt: true));
    }

    public IAsyncEnumerable<GenerationUpdate> GenerateAsync(IReadOnlyList<int> promptTokens, GenerationOptions options, CancellationToken cancellationToken) =>
        GenerateAsync(promptTokens, options, adapter: null, cancellationToken);

    internal async IAsyncEnumerable<GenerationUpdate> GenerateAsync(
        IReadOnlyList<int> promptTokens,
        GenerationOptions options,
        LoraAdapter? adapter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(promptTokens);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (promptTokens.Count == 0)
        {
            throw new ArgumentException("the prompt has no tokens", nameof(promptTokens));
        }

        if (promptTokens.Count >= MaxContextTokens)
        {
            throw new ContextLengthExceededException(promptTokens.Count, MaxContextTokens);
        }

        int[] prompt = promptTokens.ToArray();
        int capacity = (int)Math.Min(MaxContextTokens, (long)prompt.Length + options.MaxTokens);
        var stopTokens = options.IgnoreEndOfSequence ? [] : new HashSet<int>(_endOfSequence);
        stopTokens.UnionWith(options.StopTokenIds);
        var sequence = new DecodingSequence(prompt, capacity, new Sampler(_model.Config.VocabSize, options.Sampling), stopTokens, options.MaxTokens, MaxContextTokens, Tokenizer.VocabSize)
        {
            Adapter = adapter,
        };
        _batch.Enqueue(sequence);
        try
        {
            StreamingDecoder decoder = Tokenizer.CreateStreamingDecoder(skipSpecialTokens: true);
            var stopStrings = new StopStringFilter(options.StopStrings);
            int generated = 0;
            await foreach (SampledToken sampled in sequence.Tokens.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested(); // tokens decoded ahead are not handed out after a cancel
                _batch.Wake();
                int token = sampled.Token;
                if (sampled.EndOfSequence)
                {
                    yield return new GenerationUpdate(decoder.Flush() + stopStrings.Flush(), token, prompt.Length, generated, FinishReason.Stop);
                    yield break;
                }

                generated++;
                var (text, stopped) = stopStrings.Push(decoder.Push(token));
                if (stopped)
                {
                    yield return new GenerationUpdate(text, token, prompt.Length, generated, FinishReason.Stop);
                    yield break;
                }

                if (sampled.Last)
                {
                    (string tail, stopped) = stopStrings.Push(decoder.Flush());
                    yield return new GenerationUpdate(text + tail + (stopped ? string.Empty : stopStrings.Flush()), token, prompt.Length, generated, stopped ? FinishReason.Stop : FinishReason.Length);
                    yield break;
                }

                yield return new GenerationUpdate(text, token, prompt.Length, generated, null);
            }
        }
        finally
        {
            sequence.Leave();
            _batch.Wake();
        }
    }

    public void Dispose()
    {
        _batch.Dispose();
        _model.Dispose();
    }
}
