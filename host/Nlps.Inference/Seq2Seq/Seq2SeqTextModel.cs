using Nlps.Inference.Embeddings;
using Nlps.Inference.Engine;
using Nlps.Inference.Models;
using Nlps.Inference.Models.Seq2Seq;
using Nlps.Inference.Tokenization;

namespace Nlps.Inference.Seq2Seq;

/// <summary>
/// A BART model folder (config.json, safetensors, tokenizer.json) as text in, text out: the source is encoded with the
/// tokenizer's own special tokens, generated from, and the output decoded without special tokens. Sources longer
/// than <see cref="MaxSourceTokens"/> are refused or truncated by <see cref="Seq2SeqModelOptions.Truncation"/>.
/// </summary>
public sealed class Seq2SeqTextModel : IDisposable
{
    private readonly BartModel _model;
    private readonly Seq2SeqModelOptions _options;

    private Seq2SeqTextModel(string id, BartModel model, ITokenizer tokenizer, Seq2SeqModelOptions options)
    {
        Id = id;
        _model = model;
        Tokenizer = tokenizer;
        _options = options;
    }

    public string Id { get; }

    public ITokenizer Tokenizer { get; }

    public BartModel Model => _model;

    public Seq2SeqGenerationOptions Defaults => _options.Defaults;

    /// <summary>Longest source in tokens (special tokens included): the options' limit, else the encoder's positions.</summary>
    public int MaxSourceTokens => _options.MaxSourceTokens ?? _model.MaxSourceTokens;

    public static Seq2SeqTextModel Load(string folder, Seq2SeqModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new Seq2SeqModelOptions();
        options.Defaults.Validate();
        string tokenizerPath = Path.Combine(folder, "tokenizer.json");
        if (!File.Exists(tokenizerPath))
        {
            throw new ModelConfigException($"{folder}: tokenizer.json is missing");
        }

        ITokenizer tokenizer = TokenizerJson.Load(tokenizerPath);
        BartModel model = BartModel.Load(folder, options.Engine);
        if (tokenizer.VocabSize > model.Config.VocabSize)
        {
            model.Dispose();
            throw new ModelConfigException($"{folder}: the tokenizer has {tokenizer.VocabSize} ids but the model's vocabulary is {model.Config.VocabSize}");
        }

        if (options.MaxSourceTokens is < 1 || options.MaxSourceTokens > model.MaxSourceTokens)
        {
            model.Dispose();
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxSourceTokens, $"MaxSourceTokens must be 1 to the model's {model.MaxSourceTokens} positions (max_position_embeddings)");
        }

        return new Seq2SeqTextModel(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), model, tokenizer, options);
    }

    /// <summary>The source's token ids, truncated when the policy allows; an empty or (under Refuse) too long source throws.</summary>
    public int[] EncodeSource(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int[] ids = [.. Tokenizer.Encode(text, addSpecialTokens: true)];
        if (ids.Length == 0)
        {
            throw new ArgumentException("the source text encodes to no tokens", nameof(text));
        }

        int max = MaxSourceTokens;
        if (ids.Length <= max)
        {
            return ids;
        }

        if (_options.Truncation == TruncationPolicy.Refuse)
        {
            throw new ContextLengthExceededException(
                $"the source has {ids.Length} tokens; model '{Id}' takes at most {max} (the deployment refuses longer sources rather than truncating them)");
        }

        return Tokenizer.IsSpecial(ids[^1]) ? [.. ids.AsSpan(0, max - 1), ids[^1]] : ids[..max];
    }

    /// <summary>Generates from one source text on a worker thread; the model serialises concurrent calls.</summary>
    public Task<Seq2SeqTextResult> GenerateAsync(string source, Seq2SeqGenerationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        int[] ids = EncodeSource(source);
        options.Validate();
        return Task.Run(
            () =>
            {
                Seq2SeqResult result = _model.Generate([ids], options, cancellationToken)[0];
                return new Seq2SeqTextResult(Tokenizer.Decode(result.Tokens, skipSpecialTokens: true), result.Tokens, ids.Length, result.EndedWithEos);
            },
            cancellationToken);
    }

    public void Dispose() => _model.Dispose();
}
