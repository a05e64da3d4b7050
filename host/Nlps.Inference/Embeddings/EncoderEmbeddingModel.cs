using Nlps.Inference.Engine;
using Nlps.Inference.Models;
using Nlps.Inference.Models.Encoders;
using Nlps.Inference.Models.Encoders.Pooling;
using Nlps.Inference.Tokenization;

namespace Nlps.Inference.Embeddings;

/// <summary>
/// An encoder folder as a sentence-embedding model: tokenizer.json (with its [CLS]/[SEP] or &lt;s&gt;/&lt;/s&gt;
/// post-processor), the BERT/XLM-R encoder and the folder's pooling. A batch is cut into forward passes of at most
/// <see cref="EncoderEmbeddingModelOptions.MaxBatchTokens"/> tokens. Safe to share; passes are serialised by the encoder.
/// </summary>
public sealed class EncoderEmbeddingModel : IDisposable
{
    private readonly EncoderModel _encoder;
    private readonly EncoderEmbeddingModelOptions _options;
    private readonly int _specialPrefix;
    private readonly int _specialSuffix;

    private EncoderEmbeddingModel(string id, EncoderModel encoder, ITokenizer tokenizer, EmbeddingPooling pooling, EncoderEmbeddingModelOptions options)
    {
        Id = id;
        _encoder = encoder;
        Tokenizer = tokenizer;
        Pooling = pooling;
        _options = options;
        (_specialPrefix, _specialSuffix) = SpecialTokenSplit(tokenizer);
    }

    public string Id { get; }

    public ITokenizer Tokenizer { get; }

    public EmbeddingPooling Pooling { get; }

    /// <summary>Length of the vectors.</summary>
    public int Dimensions => _encoder.Config.HiddenSize;

    /// <summary>Most tokens of one input, special tokens included.</summary>
    public int MaxTokens => _encoder.MaxTokens;

    /// <summary>Bytes of weights held in memory.</summary>
    public long WeightBytes => _encoder.WeightBytes;

    /// <summary>Loads a model folder; bad or unsupported files throw <see cref="ModelConfigException"/> naming the file and key or tensor.</summary>
    public static EncoderEmbeddingModel Load(string folder, EncoderEmbeddingModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new EncoderEmbeddingModelOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Threads, nameof(options.Threads));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBatchTokens, nameof(options.MaxBatchTokens));
        string tokenizerPath = Path.Combine(folder, "tokenizer.json");
        if (!File.Exists(tokenizerPath))
        {
            throw new ModelConfigException($"{folder}: tokenizer.json is missing");
        }

        ITokenizer tokenizer = TokenizerJson.Load(tokenizerPath);
        EmbeddingPooling pooling = EmbeddingPooling.FromFolder(folder, options.DefaultPooling);
        EncoderModel encoder = EncoderModel.Load(folder, new CpuEngineOptions { Threads = options.Threads });
        if (tokenizer.VocabSize > encoder.Config.VocabSize)
        {
            encoder.Dispose();
            throw new ModelConfigException($"{folder}: tokenizer.json has {tokenizer.VocabSize} ids but config.json vocab_size is {encoder.Config.VocabSize}");
        }

        return new EncoderEmbeddingModel(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), encoder, tokenizer, pooling, options);
    }

    /// <summary>
    /// Embeds <paramref name="texts"/> (each prefixed with <paramref name="prefix"/>). An input over the limit is
    /// refused or truncated by the model's <see cref="TruncationPolicy"/>; cancellation is honoured between passes.
    /// </summary>
    public EmbeddingResult Embed(IReadOnlyList<string> texts, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(prefix);
        var sequences = new int[texts.Count][];
        for (int i = 0; i < texts.Count; i++)
        {
            sequences[i] = Tokenize(i, prefix + (texts[i] ?? throw new ArgumentException($"Input {i} is null.", nameof(texts))));
        }

        var vectors = new float[texts.Count][];
        int h = Dimensions;
        int first = 0;
        while (first < sequences.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int end = first;
            int tokens = 0;
            while (end < sequences.Length && (end == first || tokens + sequences[end].Length <= _options.MaxBatchTokens))
            {
                tokens += sequences[end++].Length;
            }

            var batch = sequences[first..end];
            var hidden = new float[(long)tokens * h];
            _encoder.Forward(batch, hidden);
            int at = 0;
            for (int s = 0; s < batch.Length; s++)
            {
                vectors[first + s] = new float[h];
                Pooling.Pool(hidden.AsSpan(at * h, batch[s].Length * h), batch[s].Length, h, vectors[first + s]);
                at += batch[s].Length;
            }

            first = end;
        }

        return new EmbeddingResult(vectors, sequences.Sum(s => s.Length));
    }

    public void Dispose() => _encoder.Dispose();

    /// <summary>How many of the post-processor's special ids go before the text and how many after.</summary>
    private static (int Prefix, int Suffix) SpecialTokenSplit(ITokenizer tokenizer)
    {
        int[] wrapper = [.. tokenizer.Encode(string.Empty, addSpecialTokens: true)];
        int[] plain = [.. tokenizer.Encode("a", addSpecialTokens: false)];
        int[] wrapped = [.. tokenizer.Encode("a", addSpecialTokens: true)];
        for (int prefix = 0; prefix <= wrapper.Length; prefix++)
        {
            if (wrapped.AsSpan(prefix).StartsWith(plain) && wrapped.AsSpan(0, prefix).SequenceEqual(wrapper.AsSpan(0, prefix)))
            {
                return (prefix, wrapper.Length - prefix);
            }
        }

        return (0, wrapper.Length);
    }

    private int[] Tokenize(int index, string text)
    {
        int[] ids = [.. Tokenizer.Encode(text, addSpecialTokens: true)];
        if (ids.Length == 0)
        {
            throw new ArgumentException($"Input {index} encodes to no tokens.", nameof(text));
        }

        if (ids.Length <= MaxTokens)
        {
            return ids;
        }

        if (_options.Truncation == TruncationPolicy.Refuse)
        {
            throw new ContextLengthExceededException(
                $"input {index} has {ids.Length} tokens; the embedding model '{Id}' takes at most {MaxTokens} (the deployment refuses longer inputs rather than truncating them)");
        }

        int keep = MaxTokens - _specialSuffix;
        return [.. ids.AsSpan(0, Math.Max(keep, _specialPrefix)), .. ids.AsSpan(ids.Length - _specialSuffix)];
    }
}
