using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Shards;
using SSIS.Batch.Jobs.Config;

namespace SSIS.Batch.Jobs.Commands;

/// <summary><c>ssis slurm CONFIG --shards N [--out DIR]</c>: writes the sbatch scripts of a sharded job (it submits nothing).</summary>
public static class SlurmCommand
{
    /// <summary>Where the scripts go by default: beside the shards, in the job's state folder (which must be on the shared filesystem).</summary>
    public static string DefaultFolder(JobOptions options) => Path.Combine(options.StateFolder, "slurm");

    public static int Run(string configPath, int shards, string? outFolder, int? workers, TextWriter output, TextWriter errors)
    {
        if (ScheduledJob.Load(configPath, shards, workers, errors) is not var (options, entries)) return (int)ExitCode.BadConfig;
        var folder = Path.GetFullPath(outFolder ?? DefaultFolder(options));
        var logs = Path.Combine(folder, "logs");
        // Slurm does not create the folder of a task's --output: a missing one loses the log and fails the task.
        Directory.CreateDirectory(logs);
        var scripts = SlurmScripts.Write(ScheduledJob.SsisCommand(), Path.GetFullPath(configPath), ScheduledJob.Name(configPath), shards, options.Workers,
            entries, logs);
        foreach (var (name, text) in scripts)
        {
            var path = Path.Combine(folder, name);
            AtomicFile.WriteAllText(path, text);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
        output.WriteLine($"Wrote {string.Join(", ", scripts.Keys.Select(n => Path.Combine(folder, n)))}");
        output.WriteLine($"  {shards} shard(s) of about {Math.Ceiling(entries / (double)shards)} of {entries} catalog entries, {options.Workers} CPU(s) each");
        output.WriteLine($"  submit: {Path.Combine(folder, SlurmScripts.SubmitFileName)}");
        return (int)ExitCode.Ok;
    }
}

/// <summary>What the scheduler commands share: the job loaded and its catalog counted, and the command that runs ssis on a node.</summary>
public static class ScheduledJob
{
    /// <summary>The job (with <paramref name="workers"/> applied) and its catalog's entry count, or null after printing why not.</summary>
    public static (JobOptions Options, long Entries)? Load(string configPath, int shards, int? workers, TextWriter errors)
    {
        try
        {
            if (shards is < 1 or > ShardSpec.MaxCount)
                throw new ConfigException($"option --shards: expected a shard count from 1 to {ShardSpec.MaxCount}, got {shards}.");
            var options = JobConfig.Load(configPath, workers);
            return (options, options.Catalog.ReadTracks().LongCount());
        }
        catch (ConfigException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return null;
        }
    }

    /// <summary>The command that started this ssis, for the nodes (the same path on the shared filesystem): the apphost, or dotnet and the dll.</summary>
    public static string SsisCommand()
    {
        var process = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? $"{SlurmScripts.Quote(process)} {SlurmScripts.Quote(typeof(Program).Assembly.Location)}"
            : SlurmScripts.Quote(process);
    }

    /// <summary>A scheduler job name from the config's file name: lower-case letters, digits and dashes (valid for Slurm and Kubernetes).</summary>
    public static string Name(string configPath)
    {
        var name = new string(Path.GetFileNameWithoutExtension(configPath).ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return "ssis-" + (name.Length == 0 ? "job" : name[..Math.Min(name.Length, 40)]);
    }
}
