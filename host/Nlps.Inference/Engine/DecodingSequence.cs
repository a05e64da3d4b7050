using System.Runtime.InteropServices;
using System.Threading.Channels;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Models.Lora;
using Nlps.Inference.Sampling;

namespace Nlps.Inference.Engine;

/// <summary>
/// One generation inside the <see cref="BatchDecoder"/>: its prompt, KV cache, sampler and history, and the channel
/// its chosen tokens travel to the caller on. Only the decoder thread samples and touches the cache; the caller reads
/// tokens and calls <see cref="Leave"/> when it stops (done, stop string, cancelled), which the decoder sees between
/// steps. A caller that falls <see cref="Backlog"/> tokens behind is skipped by the steps until it reads again, so a
/// slow reader neither stalls the others nor makes the decoder run ahead of it.
/// </summary>
internal sealed class DecodingSequence(int[] prompt, int capacity, Sampler sampler, HashSet<int> stopTokens, int maxTokens, int maxContext, int samplableIds)
{
    /// <summary>Tokens decoded ahead of the caller before the sequence waits for it.</summary>
    public const int Backlog = 32;

    private readonly Channel<SampledToken> _tokens = Channel.CreateUnbounded<SampledToken>(); // multi-reader mode: it can count what is unread
    private readonly List<int> _history = [.. prompt];
    private volatile bool _left;
    private int _generated;

    public int[] Prompt { get; } = prompt;

    public int Capacity { get; } = capacity;

    public KvCache? Cache { get; set; }

    /// <summary>The LoRA adapter this sequence runs with, or null for the base model.</summary>
    public LoraAdapter? Adapter { get; init; }

    /// <summary>The token to feed at the next step.</summary>
    public int Next { get; private set; }

    public bool Finished { get; private set; }

    public bool HasLeft => _left;

    /// <summary>True while the caller has <see cref="Backlog"/> or more tokens unread.</summary>
    public bool Waiting => _tokens.Reader.Count >= Backlog;

    public ChannelReader<SampledToken> Tokens => _tokens.Reader;

    public void Leave() => _left = true;

    /// <summary>Chooses the next token from <paramref name="logits"/> and sends it; returns false when the sequence is done.</summary>
    public bool Sample(Span<float> logits)
    {
        // Ids past the tokenizer (padding rows of the embedding) can never be produced.
        logits[samplableIds..].Fill(float.NegativeInfinity);
        int token = sampler.Sample(logits, CollectionsMarshal.AsSpan(_history));
        bool end = stopTokens.Contains(token);
        if (!end)
        {
            _generated++;
            _history.Add(token);
        }

        bool last = !end && (_generated == maxTokens || Prompt.Length + _generated == maxContext);
        _tokens.Writer.TryWrite(new SampledToken(token, end, last));
        Next = token;
        if (end || last)
        {
            Finish(null);
        }

        return !Finished;
    }

    public void Finish(Exception? error)
    {
        Finished = true;
        _tokens.Writer.TryComplete(error);
        Cache?.Dispose();
        Cache = null;
    }
}
