using System.Diagnostics;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Segments;
using SSIS.Batch.Engine.Shards;
using SSIS.Batch.Engine.State;
using SSIS.Batch.Jobs.Commands;
using SSIS.Batch.Tests.Support;
using Xunit.Abstractions;

namespace SSIS.Batch.Tests.Shards;

/// <summary>
/// The per-file work as a 4-task Slurm array on a real single-node cluster, then the merge job: the same Parquet outputs,
/// row for row, as one single-machine run of the same job; a killed shard resubmitted alone; merges refused, by name,
/// while a shard is unfinished, missing or stale.
/// </summary>
public class SlurmShardTests(ITestOutputHelper output)
{
    private const int Shards = 4;
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(4);

    [Fact]
    public void A_slurm_array_of_shards_and_its_merge_write_what_one_machine_writes()
    {
        using var folder = new TempFolder();
        var clock = Stopwatch.StartNew();
        var library = ClipLibrary.CopyTo(folder.File("library"));
        output.WriteLine($"library: {Directory.GetFiles(library, "*", SearchOption.AllDirectories).Length} files, ready in {clock.Elapsed.TotalSeconds:0.0} s");
        string Config(string name, int workers)
        {
            var path = folder.File($"{name}.yaml");
            File.WriteAllText(path, $"catalog: {{folder: {library}}}\noutput: {name}\nworkers: {workers}\nmodel: {{min_rated: 10}}\nrecommend: {{min_rating: 0.3}}\n");
            return path;
        }
        var single = SsisProcess.Run(folder.Path, "run", Config("single", 2));
        Assert.True(single.Exit == 0, single.Errors);
        output.WriteLine($"single run done at {clock.Elapsed.TotalSeconds:0.0} s");

        using var cluster = new SlurmCluster(folder.File("cluster"));
        var sharded = Config("sharded run", 1);
        var generated = SsisProcess.Run(folder.Path, "slurm", sharded, "--shards", Shards.ToString());
        Assert.True(generated.Exit == 0, generated.Errors);
        var scripts = Path.Combine(folder.File("sharded run"), "state", "slurm");
        var shardsFolder = Path.Combine(folder.File("sharded run"), "state", "shards");
        string ShardFolder(int index) => Path.Combine(shardsFolder, new ShardSpec(index, Shards).FolderName);

        // The whole chain as a user submits it; shard 1 is cancelled (SIGTERM, as Slurm stops a job) once it has kept some work.
        var submitted = cluster.Run(Path.Combine(scripts, SlurmScripts.SubmitFileName));
        output.WriteLine(submitted);
        var arrayJob = submitted.Split("job ")[1].Split(' ')[0];
        var killedState = Path.Combine(ShardFolder(1), StateStore.FileName);
        var started = Stopwatch.StartNew();
        while (StateTables.RowCount(killedState, "analysis_cache") < 2 && !File.Exists(Path.Combine(ShardFolder(1), ShardManifest.FileName)))
        {
            Assert.True(started.Elapsed < Guard, "shard 1 never started its analysis");
            Thread.Sleep(50);
        }
        cluster.Run("scancel", $"{arrayJob}_1");
        cluster.WaitForEmptyQueue(Guard);
        Assert.False(File.Exists(Path.Combine(ShardFolder(1), ShardManifest.FileName)), "shard 1 finished before it could be killed mid-way");
        var keptByKilled = StateTables.RowCount(killedState, "analysis_cache");
        output.WriteLine($"shard 1 killed with {keptByKilled} analyses kept");
        // Its merge never ran: afterok on a failed array is an invalid dependency, and kill_invalid_depend cancels it.
        Assert.False(File.Exists(Path.Combine(folder.File("sharded run"), TracksTable.FileName)));

        var unfinished = SsisProcess.Run(folder.Path, "merge", sharded);
        Assert.Equal((int)Jobs.ExitCode.ShardsIncomplete, unfinished.Exit);
        Assert.Contains("shard 1/4: unfinished", unfinished.Errors);
        Assert.Contains($"--shard 1/{Shards}", unfinished.Errors);

        // A shard missing altogether is named with the commands that rerun it.
        Directory.Move(ShardFolder(2), ShardFolder(2) + ".aside");
        var missing = SsisProcess.Run(folder.Path, "merge", sharded, "--shards", Shards.ToString());
        Directory.Move(ShardFolder(2) + ".aside", ShardFolder(2));
        output.WriteLine(missing.Errors);
        Assert.Equal((int)Jobs.ExitCode.ShardsIncomplete, missing.Exit);
        Assert.Contains("shard 2/4: missing", missing.Errors);
        Assert.Contains($"ssis run '{sharded}' --shard 2/{Shards}", missing.Errors); // quoted: the path holds a space
        Assert.Contains($"sbatch --array=1,2 '{Path.Combine(scripts, SlurmScripts.ArrayFileName)}'", missing.Errors);
        // Sharded by hand, without the scripts `ssis slurm` writes, the refusal names only the ssis commands.
        Directory.Move(scripts, scripts + ".aside");
        var byHand = SsisProcess.Run(folder.Path, "merge", sharded);
        Directory.Move(scripts + ".aside", scripts);
        Assert.Equal((int)Jobs.ExitCode.ShardsIncomplete, byHand.Exit);
        Assert.Contains($"--shard 1/{Shards}", byHand.Errors);
        Assert.DoesNotContain("sbatch", byHand.Errors);

        // Resubmit the killed index alone, and the merge after it.
        var rerun = cluster.Submit("--array=1", Path.Combine(scripts, SlurmScripts.ArrayFileName));
        cluster.Submit($"--dependency=afterok:{rerun}", Path.Combine(scripts, SlurmScripts.MergeFileName));
        cluster.WaitForEmptyQueue(Guard);
        var resumed = RunSummary.Read(ShardFolder(1));
        Assert.True(File.Exists(Path.Combine(ShardFolder(1), ShardManifest.FileName)), string.Join("\n", Directory.GetFiles(Path.Combine(scripts, "logs")).Select(File.ReadAllText)));
        Assert.Equal(keptByKilled, resumed.Analysis!.FromCache);

        var merged = RunSummary.Read(folder.File("sharded run"));
        var alone = RunSummary.Read(folder.File("single"));
        output.WriteLine($"merge: {merged.ElapsedSeconds:0.0} s, single run: {alone.ElapsedSeconds:0.0} s; per stage {string.Join(", ", merged.StageSeconds.Select(s => $"{s.Key} {s.Value:0.00}"))}");
        Assert.Equal(0, merged.Counters.AudioFilesOpened);
        Assert.Equal(0, merged.Counters.FfprobeProcesses);
        Assert.Equal(alone.Outputs, merged.Outputs);
        Assert.NotNull(merged.Rating);
        var tables = alone.Outputs.Where(o => o.EndsWith(".parquet", StringComparison.Ordinal)).ToList();
        Assert.Contains(PredictionsTable.RecommendationsFileName, tables);
        foreach (var table in tables)
        {
            var expected = Rows(Path.Combine(folder.File("single"), table));
            // A music library: the segments step (files: speech by default) finds nothing to segment whole.
            if (table != SegmentsTable.FileName && table != PreviewsTable.FileName) Assert.True(expected.Count > 0, $"{table} is empty");
            Assert.Equal(expected, Rows(Path.Combine(folder.File("sharded run"), table)));
        }
        output.WriteLine($"equal: {string.Join(", ", tables)} (at {clock.Elapsed.TotalSeconds:0.0} s)");

        // A file changed after its shard finished makes that shard stale.
        var changed = Directory.GetFiles(library, "*.ogg", SearchOption.AllDirectories)[0];
        File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddMinutes(-1));
        var stale = SsisProcess.Run(folder.Path, "merge", sharded);
        Assert.Equal((int)Jobs.ExitCode.ShardsIncomplete, stale.Exit);
        var shardOfChanged = ShardKey.ShardOf(new Engine.Catalog.TrackRecord(0, changed), FileStamp.Of(changed), Shards);
        Assert.Contains($"shard {shardOfChanged}/{Shards}: stale: 1 catalog file(s) new or changed", stale.Errors);
        Assert.Contains(changed, stale.Errors);
    }

    private static List<string> Rows(string parquet) =>
        ParquetCheck.Read(parquet).Data.Select(r => r.ToString()).Order(StringComparer.Ordinal).ToList();
}
