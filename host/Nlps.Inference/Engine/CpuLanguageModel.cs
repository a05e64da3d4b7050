using System.Runtime.CompilerServices;
using Nlps.Inference.ChatTemplates;
using Nlps.Inference.Gguf;
using Nlps.Inference.Models;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Sampling;
using Nlps.Inference.Tokenization;

namespace Nlps.Inference.Engine;

/// <summary>
/// The built-in CPU engine for one model folder (config.json, safetensors, tokenizer.json, tokenizer_config.json).
/// Each generation has its own KV cache and sampler; concurrent generations share the weights and take turns on the
/// kernels one forward pass at a time.
/// </summary>
public sealed class CpuLanguageModel : ILanguageModel
{
    private readonly LlamaModel _model;
    private readonly HashSet<int> _endOfSequence;

    private CpuLanguageModel(string id, LlamaModel model, ITokenizer tokenizer, IChatTemplate? chatTemplate, HashSet<int> endOfSequence)
    {
        Id = id;
        _model = model;
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
        return Create(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), LlamaModel.Load(folder, options), tokenizer, template, folder);
    }

    private static CpuLanguageModel LoadGguf(string path, CpuEngineOptions? options, TimeProvider? timeProvider)
    {
        using GgufCheckpoint file = GgufCheckpoint.Open(path);
        ITokenizer tokenizer = GgufTokenizer.Read(file.Metadata);
        string? text = file.Metadata.String(GgufTokenizer.ChatTemplateKey);
        IChatTemplate? template = text is null ? null : ChatTemplateResolver.Recognise(text, path, timeProvider);
        return Create(Path.GetFileNameWithoutExtension(path), LlamaModel.FromGguf(file, options), tokenizer, template, path);
    }

    private static CpuLanguageModel Create(string id, LlamaModel model, ITokenizer tokenizer, IChatTemplate? template, string origin)
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

            return new CpuLanguageModel(id, model, tokenizer, template, endOfSequence);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public IReadOnlyList<int> EncodeChat(IReadOnlyList<ChatTurn> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        IChatTemplate template = ChatTemplate
            ?? throw new InvalidOperationException($"model '{Id}' has no chat template (tokenizer_config.json chat_template); use a raw prompt");
        return ChatPrompt.Encode(Tokenizer, template.Render(messages, addGenerationPrompt: true));
    }

    public async IAsyncEnumerable<GenerationUpdate> GenerateAsync(
        IReadOnlyList<int> promptTokens,
        GenerationOptions options,
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
        int vocab = _model.Config.VocabSize;
        int capacity = (int)Math.Min(MaxContextTokens, (long)prompt.Length + options.MaxTokens);
        using KvCache cache = _model.CreateCache(capacity);
        var sampler = new Sampler(vocab, options.Sampling);
        var history = new List<int>(capacity);
        history.AddRange(prompt);
        var stopTokens = options.IgnoreEndOfSequence ? [] : new HashSet<int>(_endOfSequence);
        stopTokens.UnionWith(options.StopTokenIds);
        var logits = new float[vocab];
        StreamingDecoder decoder = Tokenizer.CreateStreamingDecoder(skipSpecialTokens: true);
        var stopStrings = new StopStringFilter(options.StopStrings);

        await Task.Run(() => _model.Prefill(prompt, cache, logits), cancellationToken).ConfigureAwait(false);
        int generated = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Ids past the tokenizer (padding rows of the embedding) can never be produced.
            logits.AsSpan(Tokenizer.VocabSize).Fill(float.NegativeInfinity);
            int token = sampler.Sample(logits, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(history));
            if (stopTokens.Contains(token))
            {
                yield return new GenerationUpdate(decoder.Flush() + stopStrings.Flush(), token, prompt.Length, generated, FinishReason.Stop);
                yield break;
            }

            generated++;
            history.Add(token);
            var (text, stopped) = stopStrings.Push(decoder.Push(token));
            if (stopped)
            {
                yield return new GenerationUpdate(text, token, prompt.Length, generated, FinishReason.Stop);
                yield break;
            }

            if (generated == options.MaxTokens || prompt.Length + generated == MaxContextTokens)
            {
                (string tail, stopped) = stopStrings.Push(decoder.Flush());
                yield return new GenerationUpdate(text + tail + (stopped ? string.Empty : stopStrings.Flush()), token, prompt.Length, generated, stopped ? FinishReason.Stop : FinishReason.Length);
                yield break;
            }

            yield return new GenerationUpdate(text, token, prompt.Length, generated, null);
            await Task.Run(() => _model.DecodeBatch([token], [cache], logits), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _model.Dispose();
}
