using System.Runtime.InteropServices;
using Nlps.Hardware.Gpu;

namespace Nlps.Hardware.Tests.Gpu;

public sealed class NvmlGpuDetectorTests
{
    [Fact]
    public async Task Declines_without_the_library_and_lists_devices_with_it()
    {
        bool present = NativeLibrary.TryLoad(NvmlNative.Library, out IntPtr handle);
        if (present)
        {
            NativeLibrary.Free(handle);
        }

        GpuInventory? inventory = await new NvmlGpuDetector().DetectAsync(CancellationToken.None);

        if (present)
        {
            Assert.NotNull(inventory);
            Assert.True(inventory.Problem is not null || inventory.Source == GpuSource.Nvml);
        }
        else
        {
            Assert.Null(inventory);
        }
    }
}
