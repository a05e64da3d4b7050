using System.IO.MemoryMappedFiles;
using Nlps.Formats.Safetensors;

namespace Nlps.Inference.Safetensors;

/// <summary>
/// The weights of a model folder, memory-mapped read-only: one <c>model.safetensors</c>, or the shards named by
/// <c>model.safetensors.index.json</c>. Every header is checked (see <see cref="SafetensorsHeader"/>) and every index
/// entry must name a tensor its shard really holds. Spans returned by <see cref="Bytes"/> stay valid until disposal.
/// </summary>
public sealed unsafe class SafetensorsCheckpoint : IDisposable
{
    private readonly List<MappedShard> _shards = [];
    private readonly Dictionary<string, (MappedShard Shard, SafetensorsTensor Tensor)> _tensors = new(StringComparer.Ordinal);

    private SafetensorsCheckpoint(string folder) => Folder = folder;

    public string Folder { get; }

    public IEnumerable<string> TensorNames => _tensors.Keys;

    /// <summary>Opens every shard of <paramref name="folder"/>; a bad file throws <see cref="SafetensorsFormatException"/>.</summary>
    public static SafetensorsCheckpoint Open(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string indexPath = Path.Combine(folder, SafetensorsIndex.FileName);
        IReadOnlyDictionary<string, string>? weightMap = File.Exists(indexPath)
            ? SafetensorsIndex.ParseWeightMap(File.ReadAllText(indexPath), indexPath)
            : null;
        var checkpoint = new SafetensorsCheckpoint(folder);
        try
        {
            foreach (string path in SafetensorsIndex.ShardPaths(folder, weightMap))
            {
                checkpoint.Map(path);
            }

            if (weightMap is not null)
            {
                foreach (var (name, file) in weightMap)
                {
                    if (!checkpoint._tensors.TryGetValue(name, out var found) || Path.GetFileName(found.Shard.Path) != file)
                    {
                        throw new SafetensorsFormatException($"{indexPath}: tensor '{name}' is mapped to '{file}', which does not hold it");
                    }
                }
            }

            return checkpoint;
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>; a missing tensor is a <see cref="SafetensorsFormatException"/> naming it.</summary>
    public SafetensorsTensor Describe(string name) => Find(name).Tensor;

    /// <summary>The raw little-endian bytes of <paramref name="name"/>, straight from the mapping (no copy).</summary>
    public ReadOnlySpan<byte> Bytes(string name)
    {
        var (shard, tensor) = Find(name);
        if (tensor.ByteLength > int.MaxValue)
        {
            throw new SafetensorsFormatException($"{shard.Path}: tensor '{name}' is {tensor.ByteLength} bytes, over the 2 GiB a single tensor may have here");
        }

        return new ReadOnlySpan<byte>(shard.Data + tensor.Begin, (int)tensor.ByteLength);
    }

    public void Dispose()
    {
        foreach (MappedShard shard in _shards)
        {
            shard.Dispose();
        }

        _shards.Clear();
        _tensors.Clear();
    }

    private (MappedShard Shard, SafetensorsTensor Tensor) Find(string name) =>
        _tensors.TryGetValue(name, out var found)
            ? found
            : throw new SafetensorsFormatException($"{Folder}: tensor '{name}' is not in the checkpoint");

    private void Map(string path)
    {
        SafetensorsLayout layout = SafetensorsHeader.ReadLayout(path);
        var shard = new MappedShard(path, layout.DataStart);
        _shards.Add(shard);
        foreach (SafetensorsTensor tensor in layout.Tensors)
        {
            if (!_tensors.TryAdd(tensor.Name, (shard, tensor)))
            {
                throw new SafetensorsFormatException($"{path}: tensor '{tensor.Name}' is also in {_tensors[tensor.Name].Shard.Path}");
            }
        }
    }

    private sealed class MappedShard : IDisposable
    {
        private readonly MemoryMappedFile? _file;
        private readonly MemoryMappedViewAccessor? _view;
        private byte* _base;

        public MappedShard(string path, long dataStart)
        {
            Path = path;
            long length = new FileInfo(path).Length;
            if (length == dataStart)
            {
                return; // header only: nothing to map (a zero-length mapping is an error on Linux)
            }

            _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
            _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
            Data = _base + _view.PointerOffset + dataStart;
        }

        public string Path { get; }

        public byte* Data { get; }

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
}
