using System.Runtime.InteropServices;

namespace Nlps.Models.Engines.Processes;

/// <summary>SIGTERM for a child process (.NET's Process.Kill only sends SIGKILL).</summary>
internal static partial class UnixSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks the process to stop; false when it is already gone.</summary>
    public static bool Terminate(int processId) => Kill(processId, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
