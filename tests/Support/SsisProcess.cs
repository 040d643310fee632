using System.Diagnostics;

namespace SSIS.Batch.Tests.Support;

/// <summary>The built <c>ssis</c> command run as a real process (optionally as the ordinary user nobody), with its exit code and both streams.</summary>
public sealed class SsisProcess : IDisposable
{
    public static readonly string Dll = Path.Combine(Repo.Root, "jobs", "bin", "Release", "net10.0", "ssis.dll");

    // Only a guard so a hang fails the test instead of the suite; nothing is timed.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _errors;

    private SsisProcess(Process process)
    {
        _process = process;
        _output = process.StandardOutput.ReadToEndAsync();
        _errors = process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <c>ssis ARGS</c> in <paramref name="workingDirectory"/>. With <paramref name="asNobody"/> a root test runner
    /// drops to uid/gid 65534 (setpriv, util-linux), since root may write anywhere.
    /// </summary>
    public static SsisProcess Start(string workingDirectory, bool asNobody, params string[] arguments)
    {
        var command = asNobody && Environment.UserName == "root"
            ? new[] { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", $"HOME={workingDirectory}", "dotnet", Dll }
            : ["dotnet", Dll];
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command[1..].Concat(arguments)) start.ArgumentList.Add(argument);
        try
        {
            return new SsisProcess(Process.Start(start)!);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"'{command[0]}' is not installed: install the .NET 10 SDK and util-linux (setpriv), or run './run.sh setup'.");
        }
    }

    /// <summary>Waits for the process to end; its exit code, standard output and standard error.</summary>
    public (int Exit, string Output, string Errors) Finish()
    {
        if (!_process.WaitForExit(HangGuard))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ssis did not end within {HangGuard.TotalMinutes} minutes (it hangs): {_output.Result}{_errors.Result}");
        }
        _process.WaitForExit();
        return (_process.ExitCode, _output.Result, _errors.Result);
    }

    public static (int Exit, string Output, string Errors) Run(string workingDirectory, params string[] arguments)
    {
        using var process = Start(workingDirectory, asNobody: false, arguments);
        return process.Finish();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
