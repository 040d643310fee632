using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Shards;
using SSIS.Batch.Engine.State;
using SSIS.Batch.Jobs.Config;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis merge CONFIG</c>: checks that every shard finished over the current catalog, imports their state stores into
/// the job's, then runs the job, which finds every per-file result cached and does the library-wide steps.
/// </summary>
public static class MergeCommand
{
    public static async Task<int> RunAsync(string configPath, int? shardsFlag, int? workers, TextWriter output, TextWriter errors,
        CancellationToken cancellationToken, Interruption? interruption = null)
    {
        JobOptions options;
        try
        {
            options = JobConfig.Load(configPath, workers);
            if (shardsFlag is < 1 or > ShardSpec.MaxCount)
                throw new ConfigException($"option --shards: expected a shard count from 1 to {ShardSpec.MaxCount}, got {shardsFlag}.");
        }
        catch (ConfigException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return (int)ExitCode.BadConfig;
        }
        var found = ShardCheck.CountsFound(options.StateFolder);
        var count = shardsFlag ?? (found.Count == 1 ? found[0] : 0);
        if (count == 0)
        {
            errors.WriteLine(found.Count == 0
                ? $"error: no shards under {ShardSpec.ShardsFolder(options.StateFolder)}: run the shards first ('ssis run {configPath} --shard I/N', " +
                  $"or submit what 'ssis slurm {configPath} --shards N' writes)."
                : $"error: shards of several counts under {ShardSpec.ShardsFolder(options.StateFolder)} ({string.Join(", ", found)}): " +
                  $"say which with --shards N.");
            return (int)ExitCode.ShardsIncomplete;
        }

        IReadOnlyList<TrackRecord> catalog;
        try
        {
            output.WriteLine($"Checking {count} shard(s) against catalog {options.Catalog.Description}");
            catalog = options.Catalog.ReadTracks(cancellationToken).ToList();
        }
        catch (CatalogException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return (int)ExitCode.CatalogUnreadable;
        }
        var check = ShardCheck.Verify(options, catalog, count);
        if (check.Problems.Count > 0)
        {
            foreach (var problem in check.Problems) errors.WriteLine($"error: shard {problem.Shard}: {problem.Reason}");
            var indices = string.Join(",", check.Problems.Select(p => p.Shard.Index));
            errors.WriteLine($"error: {check.Problems.Count} of {count} shard(s) cannot be merged; rerun them, then merge again:");
            foreach (var problem in check.Problems) errors.WriteLine($"  ssis run {SlurmScripts.Word(configPath)} --shard {problem.Shard}");
            // Only when `ssis slurm` wrote the array script: a job sharded by hand has none to submit.
            var arrayScript = Path.Combine(SlurmCommand.DefaultFolder(options), SlurmScripts.ArrayFileName);
            if (File.Exists(arrayScript)) errors.WriteLine($"  or on Slurm: sbatch --array={indices} {SlurmScripts.Word(arrayScript)}");
            return (int)ExitCode.ShardsIncomplete;
        }

        try
        {
            // The job's own run lock: no run may use its state store while the shards go in.
            using (RunLock.Acquire(options.StateFolder, string.Join(' ', Environment.GetCommandLineArgs())))
            using (var store = new StateStore(options.StateFolder))
            {
                var rows = check.Folders.Sum(store.ImportShard);
                ContentKeys.ImportCaches(check.Folders, options.StateFolder);
                output.WriteLine($"Imported {rows} cached result(s) from {count} shard(s) into {options.StateFolder}");
            }
        }
        catch (RunLockedException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return (int)ExitCode.StateFolderInUse;
        }
        return await RunCommand.RunJobAsync(options, output, errors, cancellationToken, interruption);
    }
}
