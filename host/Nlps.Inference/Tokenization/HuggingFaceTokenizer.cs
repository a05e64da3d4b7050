using System.Buffers;
using System.Text;
using Nlps.Inference.Tokenization.AddedTokens;
using Nlps.Inference.Tokenization.Bpe;
using Nlps.Inference.Tokenization.Decoding;
using Nlps.Inference.Tokenization.Normalization;
using Nlps.Inference.Tokenization.PostProcessing;
using Nlps.Inference.Tokenization.PreTokenization;

namespace Nlps.Inference.Tokenization;

/// <summary>
/// A tokenizer (BPE, WordPiece or Unigram model) assembled from tokenizer.json, following Hugging Face's pipeline: split out added tokens,
/// normalize, pre-tokenize, map to byte-level characters (when the pre-tokenizer says ByteLevel), BPE, post-process.
/// </summary>
internal sealed class HuggingFaceTokenizer : ITokenizer
{
    /// <summary>Pieces up to this many UTF-16 units are converted on the stack; longer ones rent a buffer.</summary>
    private const int StackPieceLength = 128;

    private readonly ITokenModel _model;
    private readonly string[] _idToToken;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly bool[] _special;
    private readonly AddedTokenMatcher _rawAddedTokens;
    private readonly AddedTokenMatcher _normalizedAddedTokens;
    private readonly TextNormalizer? _normalizer;
    private readonly PreTokenizer _preTokenizer;
    private readonly Metaspace? _metaspace;
    private readonly bool _byteLevel;
    private readonly bool _byteLevelPrefixSpace;
    private readonly TemplatePostProcessor _postProcessor;
    private readonly TokenDecoder _decoder;

    public HuggingFaceTokenizer(
        ITokenModel model,
        string[] idToToken,
        Dictionary<string, int> tokenToId,
        IReadOnlyList<AddedToken> addedTokens,
        TextNormalizer? normalizer,
        PreTokenizer preTokenizer,
        Metaspace? metaspace,
        bool byteLevel,
        bool byteLevelPrefixSpace,
        TemplatePostProcessor postProcessor,
        DecoderSpec decoder)
    {
        _model = model;
        _idToToken = idToToken;
        _tokenToId = tokenToId;
        _special = new bool[idToToken.Length];
        foreach (var token in addedTokens)
        {
            _special[token.Id] = token.Special;
        }

        // Hugging Face matches non-normalized added tokens in the raw text, the others after normalization.
        _rawAddedTokens = new AddedTokenMatcher(addedTokens.Where(t => !t.Normalized || normalizer is null));
        _normalizedAddedTokens = new AddedTokenMatcher(addedTokens.Where(t => t.Normalized && normalizer is not null));
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _metaspace = metaspace;
        _byteLevel = byteLevel;
        _byteLevelPrefixSpace = byteLevelPrefixSpace;
        _postProcessor = postProcessor;
        _decoder = TokenDecoder.Create(idToToken, decoder);
    }

    public int VocabSize => _idToToken.Length;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        Encode(text.AsSpan(), ids, addSpecialTokens);
        return ids;
    }

    public void Encode(ReadOnlySpan<char> text, List<int> destination, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (addSpecialTokens)
        {
            destination.AddRange(_postProcessor.Prefix);
        }

        var workspace = EncodeWorkspace.Current;
        var sections = workspace.RawSections;
        sections.Clear();
        _rawAddedTokens.Split(text, sections);
        foreach (var section in sections)
        {
            if (section.IsAddedToken)
            {
                destination.Add(section.TokenId);
            }
            else
            {
                EncodeSection(text.Slice(section.Start, section.Length), destination, workspace);
            }
        }

        if (addSpecialTokens)
        {
            destination.AddRange(_postProcessor.Suffix);
        }
    }

    public void EncodeOrdinary(ReadOnlySpan<char> text, List<int> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        EncodeSection(text, destination, EncodeWorkspace.Current);
    }

    public int CountTokens(ReadOnlySpan<char> text)
    {
        var ids = EncodeWorkspace.Current.Counting;
        ids.Clear();
        Encode(text, ids, addSpecialTokens: false);
        var count = ids.Count;
        ids.Clear();
        return count;
    }

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens)
    {
        foreach (var id in ids)
        {
            CheckId(id);
        }

        return skipSpecialTokens ? _decoder.Decode(ids, id => !_special[id]) : _decoder.Decode(ids, static _ => true);
    }

    public StreamingDecoder CreateStreamingDecoder(bool skipSpecialTokens) => new(_decoder, skipSpecialTokens ? _special : null);

    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _tokenToId.TryGetValue(token, out var id) ? id : null;
    }

    public string IdToToken(int id)
    {
        CheckId(id);
        return _idToToken[id];
    }

    public bool IsSpecial(int id)
    {
        CheckId(id);
        return _special[id];
    }

    private void CheckId(int id)
    {
        if ((uint)id >= (uint)_idToToken.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id outside the vocabulary (0..{_idToToken.Length - 1}).");
        }
    }

    private void EncodeSection(ReadOnlySpan<char> section, List<int> destination, EncodeWorkspace workspace)
    {
        if (_normalizer is null)
        {
            EncodeNormalized(section, destination, workspace);
            return;
        }

        var normalized = _normalizer.Normalize(section.ToString());
        if (_normalizedAddedTokens.IsEmpty)
        {
            EncodeNormalized(normalized, destination, workspace);
            return;
        }

        var sections = workspace.NormalizedSections;
        sections.Clear();
        _normalizedAddedTokens.Split(normalized, sections);
        // EncodeNormalized does not touch NormalizedSections, so iterating it here is safe.
        foreach (var part in sections)
        {
            if (part.IsAddedToken)
            {
                destination.Add(part.TokenId);
            }
            else
            {
                EncodeNormalized(normalized.AsSpan(part.Start, part.Length), destination, workspace);
            }
        }
    }

    private void EncodeNormalized(ReadOnlySpan<char> text, List<int> destination, EncodeWorkspace workspace)
    {
        if (text.IsEmpty)
        {
            return;
        }

        if (_byteLevelPrefixSpace && text[0] != ' ')
        {
            EncodeNormalized(string.Concat(" ", text), destination, workspace);
            return;
        }

        var pieces = workspace.Pieces;
        var first = pieces.Count;
        _preTokenizer.Split(text, pieces);
        for (var p = first; p < pieces.Count; p++)
        {
            var piece = text.Slice(pieces[p].Start, pieces[p].Length);
            if (_byteLevel)
            {
                EncodeByteLevelPiece(piece, destination);
            }
            else if (_metaspace is not null)
            {
                _metaspace.Encode(piece, _model, destination);
            }
            else
            {
                _model.EncodeWord(piece, destination);
            }
        }

        pieces.RemoveRange(first, pieces.Count - first);
    }

    /// <summary>Hot path: UTF-16 piece → UTF-8 bytes → one byte-level character per byte → BPE.</summary>
    private void EncodeByteLevelPiece(ReadOnlySpan<char> piece, List<int> destination)
    {
        var maxBytes = piece.Length * 3;
        byte[]? rentedBytes = null;
        char[]? rentedChars = null;
        var bytes = piece.Length <= StackPieceLength ? stackalloc byte[StackPieceLength * 3] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
        var chars = piece.Length <= StackPieceLength ? stackalloc char[StackPieceLength * 3] : (rentedChars = ArrayPool<char>.Shared.Rent(maxBytes));
        try
        {
            var length = Encoding.UTF8.GetBytes(piece, bytes);
            ByteLevelAlphabet.Map(bytes[..length], chars);
            _model.EncodeWord(chars[..length], destination);
        }
        finally
        {
            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }

            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }
        }
    }
}
