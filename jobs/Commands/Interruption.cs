using System.Runtime.InteropServices;
using SSIS.Batch.Engine.Audio;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// Turns the first Ctrl-C (SIGINT) or SIGTERM into a cancelled run that keeps its finished work, and ends the ffmpeg and
/// ffprobe children at once (SIGTERM reaches only this process). A second signal ends the process the default way.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signalled;

    public Interruption()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Signalled(context, ExitCode.Interrupted)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Signalled(context, ExitCode.Terminated)),
        ];
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>The exit code of the signal that stopped the run.</summary>
    public ExitCode Reason { get; private set; } = ExitCode.Interrupted;

    private void Signalled(PosixSignalContext context, ExitCode reason)
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 1) return;
        context.Cancel = true;
        Reason = reason;
        // Cancel first: results that fail because their ffmpeg was killed then no longer reach the writer as failures.
        _cancel.Cancel();
        ChildProcesses.KillAll();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancel.Dispose();
    }
}
