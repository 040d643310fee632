using System.Runtime.InteropServices;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// CPU seconds (user + system) spent by this process and by the child processes it has waited for. The load other
/// programs put on a shared machine slows the wall clock, not the CPU time, so the benches project from CPU time.
/// </summary>
public static class CpuTime
{
    private const int Self = 0;      // RUSAGE_SELF
    private const int Children = -1; // RUSAGE_CHILDREN

    /// <summary>This process's CPU seconds, all threads (NaN off Linux).</summary>
    public static double SelfSeconds() => Read(Self);

    /// <summary>CPU seconds of the waited-for children and their own waited-for descendants (NaN off Linux).</summary>
    public static double ChildrenSeconds() => Read(Children);

    private static double Read(int who)
    {
        if (!OperatingSystem.IsLinux() || GetRusage(who, out var usage) != 0) return double.NaN;
        return usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6;
    }

    /// <summary>The start of Linux's <c>struct rusage</c> (two timevals), followed by the 14 longs the call also fills.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        private readonly long _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, out Rusage usage);
}
