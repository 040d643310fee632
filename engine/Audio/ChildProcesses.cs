using System.Collections.Concurrent;
using System.Diagnostics;

namespace SSIS.Batch.Engine.Audio;

/// <summary>
/// The ffmpeg and ffprobe processes this run started and has not yet reaped, so an interrupted run (Ctrl-C, SIGTERM)
/// can end them: SIGTERM reaches only this process, and its children would otherwise go on decoding.
/// </summary>
public static class ChildProcesses
{
    private static readonly ConcurrentDictionary<Process, byte> Live = new();

    /// <summary>Starts <paramref name="start"/>; a missing executable is a <see cref="ToolNotFoundException"/> saying what to install.</summary>
    public static Process Start(ProcessStartInfo start, string installHint)
    {
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ToolNotFoundException($"'{start.FileName}' did not start: {installHint}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ToolNotFoundException($"Cannot run '{start.FileName}': {installHint}.", e);
        }
        Live[process] = 0;
        return process;
    }

    /// <summary>Forgets a process its owner has reaped (call before disposing it).</summary>
    public static void Forget(Process process) => Live.TryRemove(process, out _);

    /// <summary>Kills every child still running, with its own children; returns how many were killed.</summary>
    public static int KillAll()
    {
        var killed = 0;
        foreach (var process in Live.Keys)
        {
            try
            {
                if (process.HasExited) continue;
                process.Kill(entireProcessTree: true);
                killed++;
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // It exited, or its owner disposed it, between the listing and the kill.
            }
        }
        return killed;
    }
}

/// <summary>An external tool the run needs is not installed: the run stops (no file row could be right).</summary>
public sealed class ToolNotFoundException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
