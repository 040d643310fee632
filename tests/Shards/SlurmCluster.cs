using System.Diagnostics;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Shards;

/// <summary>
/// A real single-node Slurm cluster (tools/slurm/cluster.sh) in a scratch folder for one test: started on construction,
/// its daemons stopped by their recorded PIDs on dispose. Missing Slurm fails with how to install it.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    private static readonly string Script = Path.Combine(Repo.Root, "tools", "slurm", "cluster.sh");
    private readonly string _folder;

    public string Config => Path.Combine(_folder, "slurm.conf");

    public SlurmCluster(string folder)
    {
        _folder = folder;
        var (exit, output, errors) = Execute(Script, ["start", folder], withConf: false);
        if (exit != 0)
        {
            Dispose(); // the daemons that did start
            throw new InvalidOperationException($"the test Slurm cluster did not start (exit {exit}): {errors.Trim()} {output.Trim()}" +
                                                (exit == 3 ? "" : $" (logs in {folder}/log)"));
        }
    }

    /// <summary>Runs a Slurm client command (sbatch, squeue, scancel, ...) against this cluster; its standard output, or an exception on failure.</summary>
    public string Run(string tool, params string[] arguments)
    {
        var (exit, output, errors) = Execute(tool, arguments, withConf: true);
        return exit == 0 ? output : throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited {exit}: {errors}");
    }

    /// <summary>Submits a batch script; its job id.</summary>
    public string Submit(params string[] arguments) => Run("sbatch", ["--parsable", .. arguments]).Trim().Split(';')[0];

    /// <summary>Waits until the queue is empty (every job ended, cancelled ones included); a guard so a hang fails the test, nothing is timed.</summary>
    public void WaitForEmptyQueue(TimeSpan guard)
    {
        var clock = Stopwatch.StartNew();
        while (Run("squeue", "-h", "-o", "%i %T").Trim().Length > 0)
        {
            if (clock.Elapsed > guard) throw new TimeoutException($"Slurm jobs still queued after {guard.TotalMinutes} min: {Run("squeue")}");
            Thread.Sleep(250);
        }
    }

    private (int Exit, string Output, string Errors) Execute(string tool, string[] arguments, bool withConf)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        if (withConf) start.Environment["SLURM_CONF"] = Config;
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result, errors.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"'{tool}' is not installed: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge (or ./run.sh setup).");
        }
    }

    public void Dispose() => Execute(Script, ["stop", _folder], withConf: false);
}
