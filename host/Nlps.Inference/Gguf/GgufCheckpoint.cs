using System.IO.MemoryMappedFiles;
using Nlps.Formats.Gguf;

namespace Nlps.Inference.Gguf;

/// <summary>
/// A GGUF file, header checked by <see cref="GgufReader"/> and the data section memory-mapped read-only, so loading
/// touches each tensor's pages once while converting it. Spans from <see cref="Bytes"/> stay valid until disposal.
/// </summary>
public sealed unsafe class GgufCheckpoint : IDisposable
{
    private readonly Dictionary<string, GgufTensorInfo> _tensors;
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _base;
    private readonly byte* _data;

    private GgufCheckpoint(GgufLayout layout)
    {
        Layout = layout;
        _tensors = layout.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        if (layout.Tensors.Count == 0)
        {
            return;
        }

        _file = MemoryMappedFile.CreateFromFile(layout.Path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
        _data = _base + _view.PointerOffset + layout.DataStart;
    }

    public GgufLayout Layout { get; }

    public GgufMetadata Metadata => Layout.Metadata;

    public string Path => Layout.Path;

    /// <summary>Opens and checks <paramref name="path"/>; a bad file throws <see cref="GgufFormatException"/>.</summary>
    public static GgufCheckpoint Open(string path) => new(GgufReader.ReadLayout(path));

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public GgufTensorInfo Describe(string name) =>
        _tensors.TryGetValue(name, out GgufTensorInfo? tensor) ? tensor : throw new GgufFormatException($"{Path}: tensor '{name}' is not in the file");

    /// <summary>The raw bytes of <paramref name="name"/>, straight from the mapping (no copy).</summary>
    public ReadOnlySpan<byte> Bytes(string name)
    {
        GgufTensorInfo tensor = Describe(name);
        if (tensor.ByteLength > int.MaxValue)
        {
            throw new GgufFormatException($"{Path}: tensor '{name}' is {tensor.ByteLength} bytes, over the 2 GiB a single tensor may have here");
        }

        return new ReadOnlySpan<byte>(_data + tensor.Offset, (int)tensor.ByteLength);
    }

    public void Dispose()
    {
        if (_base != null)
        {
            _view!.SafeMemoryMappedViewHandle.ReleasePointer();
            _base = null;
        }

        _view?.Dispose();
        _file?.Dispose();
    }
}
