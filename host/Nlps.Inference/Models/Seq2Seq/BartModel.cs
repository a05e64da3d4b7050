using Nlps.Inference.Engine;
using Nlps.Inference.Models.Encoders;
using Nlps.Inference.Safetensors;

namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>
/// A BART encoder-decoder (e.g. KoBART) on the CPU. The sources of one call are encoded together (packed, each
/// attending only to itself, as a padded batch with an attention mask would), each source's cross-attention K/V is
/// computed once, and all beams of all unfinished sources decode in one step per token. Calls are serialised.
/// </summary>
public sealed unsafe class BartModel : IDisposable
{
    private readonly EncoderModel _encoder;
    private readonly BartDecoder _decoder;
    private readonly Lock _gate = new();

    private BartModel(BartConfig config, EncoderModel encoder, BartDecoder decoder)
    {
        Config = config;
        _encoder = encoder;
        _decoder = decoder;
    }

    public BartConfig Config { get; }

    /// <summary>Longest source (special tokens included): the encoder's position embeddings, max_position_embeddings.</summary>
    public int MaxSourceTokens => Config.MaxPositionEmbeddings;

    /// <summary>Bytes of weights held in memory (f32; the shared embedding once as rows and once packed as the output head; biases and LayerNorms included).</summary>
    public long WeightBytes => _encoder.WeightBytes + _decoder.WeightBytes;

    /// <summary>Loads config.json and the safetensors weights (F32, F16 or BF16, held as f32) of <paramref name="folder"/>.</summary>
    public static BartModel Load(string folder, CpuEngineOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new CpuEngineOptions();
        options.Validate();
        BartConfig config = BartConfig.Load(Path.Combine(folder, "config.json"));
        using SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.Open(folder);
        return Create(config, new SafetensorsWeightSource(checkpoint), options);
    }

    /// <summary>Builds the model from any weight source (a safetensors folder, or generated weights for a benchmark).</summary>
    internal static BartModel Create(BartConfig config, IWeightSource source, CpuEngineOptions options)
    {
        var (encoderWeights, decoderWeights) = BartCheckpoint.Load(source, config);
        var encoder = new EncoderModel(config.ToEncoderConfig(), encoderWeights, options.EffectiveThreads);
        return new BartModel(config, encoder, new BartDecoder(config, decoderWeights, options.EffectiveThreads));
    }

    /// <summary>The encoder's last hidden states of every source, concatenated as <see cref="EncoderModel.Forward"/> writes them.</summary>
    public void Encode(IReadOnlyList<int[]> sources, Span<float> hidden)
    {
        Check(sources);
        lock (_gate)
        {
            _encoder.Forward(sources, hidden);
        }
    }

    /// <summary>Teacher-forced decoder logits: row i (vocab_size floats) predicts the token after decoderInput[0..i].</summary>
    public float[] DecoderLogits(int[] source, int[] decoderInput)
    {
        ArgumentNullException.ThrowIfNull(decoderInput);
        if (decoderInput.Length == 0 || decoderInput.Length > Config.MaxPositionEmbeddings)
        {
            throw new ArgumentException($"the decoder input has {decoderInput.Length} tokens; the decoder takes 1 to {Config.MaxPositionEmbeddings}", nameof(decoderInput));
        }

        int vocab = Config.VocabSize;
        var logits = new float[decoderInput.Length * vocab];
        lock (_gate)
        {
            using BartCrossCache cross = EncodeSources([source])[0];
            using var cache = new BartSelfCache(Config.DecoderLayers, decoderInput.Length, Config.DModel);
            for (int i = 0; i < decoderInput.Length; i++)
            {
                _decoder.Step(decoderInput.AsSpan(i, 1), [cache], [cross], logits.AsSpan(i * vocab, vocab));
            }
        }

        return logits;
    }

    /// <summary>
    /// Generates for each source (token ids, special tokens included). An empty source, one longer than
    /// <see cref="MaxSourceTokens"/> (<see cref="ContextLengthExceededException"/>) or an id outside the vocabulary is
    /// refused before any work; cancellation is honoured between decoder steps.
    /// </summary>
    public IReadOnlyList<Seq2SeqResult> Generate(IReadOnlyList<int[]> sources, Seq2SeqGenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Check(sources);
        int maxLength = 1 + Math.Min(options.MaxNewTokens, Config.MaxPositionEmbeddings);
        lock (_gate)
        {
            var searches = new List<SourceSearch>(sources.Count);
            try
            {
                foreach (BartCrossCache cross in EncodeSources(sources))
                {
                    searches.Add(new SourceSearch(Config, options, cross, maxLength));
                }

                Decode(searches, cancellationToken);
                return [.. searches.Select(s => s.Result())];
            }
            finally
            {
                foreach (SourceSearch search in searches)
                {
                    search.Dispose();
                }
            }
        }
    }

    public void Dispose()
    {
        _decoder.Dispose();
        _encoder.Dispose();
    }

    private void Decode(List<SourceSearch> searches, CancellationToken cancellationToken)
    {
        int vocab = Config.VocabSize;
        int most = searches.Count * searches[0].Rows;
        var tokens = new int[most];
        var caches = new BartSelfCache[most];
        var crosses = new BartCrossCache[most];
        var logits = new float[(long)most * vocab];
        while (searches.Any(s => !s.Done))
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = 0;
            foreach (SourceSearch search in searches)
            {
                search.Fill(tokens, caches, crosses, rows);
                rows += search.Rows;
            }

            _decoder.Step(tokens.AsSpan(0, rows), caches, crosses, logits.AsSpan(0, rows * vocab));
            int at = 0;
            foreach (SourceSearch search in searches.Where(s => !s.Done))
            {
                int count = search.Rows;
                search.Advance(logits.AsSpan(at * vocab, count * vocab));
                at += count;
            }
        }
    }

    // Encodes all sources in one pass, then computes each one's cross-attention K/V.
    private BartCrossCache[] EncodeSources(IReadOnlyList<int[]> sources)
    {
        Check(sources);
        int d = Config.DModel;
        var hidden = new float[sources.Sum(s => s.Length) * d];
        _encoder.Forward(sources, hidden);
        var caches = new BartCrossCache[sources.Count];
        int at = 0;
        try
        {
            fixed (float* states = hidden)
            {
                for (int s = 0; s < sources.Count; s++)
                {
                    caches[s] = _decoder.CrossAttend(states + ((long)at * d), sources[s].Length);
                    at += sources[s].Length;
                }
            }
        }
        catch
        {
            foreach (BartCrossCache? cache in caches)
            {
                cache?.Dispose();
            }

            throw;
        }

        return caches;
    }

    private void Check(IReadOnlyList<int[]> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            throw new ArgumentException("no sources to encode", nameof(sources));
        }

        for (int s = 0; s < sources.Count; s++)
        {
            int[] ids = sources[s] ?? throw new ArgumentException($"source {s} is null", nameof(sources));
            if (ids.Length == 0)
            {
                throw new ArgumentException($"source {s} is empty; a source needs at least one token", nameof(sources));
            }

            if (ids.Length > MaxSourceTokens)
            {
                throw new ContextLengthExceededException(
                    $"source {s} has {ids.Length} tokens; the encoder takes at most {MaxSourceTokens} (max_position_embeddings)");
            }

            if (ids.Any(id => (uint)id >= (uint)Config.VocabSize))
            {
                throw new ArgumentOutOfRangeException(nameof(sources), $"source {s} has a token id outside the vocabulary (0..{Config.VocabSize - 1})");
            }
        }
    }
}
