using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Native;

/// <summary>
/// The C heap (glibc malloc), which ONNX Runtime, libsndfile, libchromaprint and SQLite allocate from. glibc keeps the
/// memory they free in its per-thread arenas, resident, for their next allocation: after the analysis released its
/// models and its workers' buffers, about 70 MB stayed resident, under every later step's own rise.
/// <see cref="GiveBackFreePages"/> returns those free pages to the system between steps.
/// </summary>
public static partial class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>glibc's <c>malloc_trim(0)</c>; nothing where there is no such call (Windows, macOS, musl).</summary>
    public static void GiveBackFreePages()
    {
        if (_unavailable) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint padBytes);
}
