using System.Runtime.InteropServices;

namespace Nlps.Inference.Tensors;

/// <summary>
/// A 64-byte-aligned block of native memory holding <c>Length</c> elements of <typeparamref name="T"/>, zeroed at
/// creation. Weights live here, off the GC heap, so the collector never scans or moves gigabytes of them.
/// </summary>
internal sealed unsafe class NativeBuffer<T> : IDisposable
    where T : unmanaged
{
    private T* _data;

    public NativeBuffer(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        nuint bytes = checked((nuint)length * (nuint)sizeof(T));
        _data = (T*)NativeMemory.AlignedAlloc(Math.Max(bytes, 64), 64);
        NativeMemory.Clear(_data, bytes);
    }

    public long Length { get; }

    /// <summary>Makes <paramref name="buffer"/> hold at least <paramref name="length"/> elements, replacing (not copying) a shorter one.</summary>
    public static void Grow(ref NativeBuffer<T>? buffer, long length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer?.Dispose();
            buffer = new NativeBuffer<T>(length);
        }
    }

    public T* Pointer => _data != null ? _data : throw new ObjectDisposedException(nameof(NativeBuffer<T>));

    public Span<T> Span => Length <= int.MaxValue
        ? new Span<T>(Pointer, (int)Length)
        : throw new InvalidOperationException($"buffer of {Length} elements is too long for one span");

    public Span<T> Slice(long start, int length)
    {
        if (start < 0 || length < 0 || start + length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start));
        }

        return new Span<T>(Pointer + start, length);
    }

    public void Dispose()
    {
        if (_data != null)
        {
            NativeMemory.AlignedFree(_data);
            _data = null;
        }
    }
}
