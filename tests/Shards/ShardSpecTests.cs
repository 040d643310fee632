using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Shards;
using SSIS.Batch.Engine.State;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Shards;

public class ShardSpecTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();

    [Fact]
    public void The_flag_beats_the_environment_and_Slurm_and_Kubernetes_variables_are_read()
    {
        var slurm = Environment((ShardSpec.SlurmIndexVariable, "3"), (ShardSpec.SlurmCountVariable, "8"));
        Assert.Equal(new ShardSpec(1, 4), ShardSpec.Resolve("1/4", slurm));
        Assert.Equal(new ShardSpec(3, 8), ShardSpec.Resolve(null, slurm));
        Assert.Equal(new ShardSpec(5, 6), ShardSpec.Resolve(null,
            Environment((ShardSpec.KubernetesIndexVariable, "5"), (ShardSpec.KubernetesCountVariable, "6"))));
        Assert.Null(ShardSpec.Resolve(null, Environment()));
    }

    [Theory]
    [InlineData("4/4", "from 0 to 3")]
    [InlineData("-1/4", "expected a whole number")]
    [InlineData("0/0", "from 1 to")]
    [InlineData("0/1001", "from 1 to 1000")]
    [InlineData("two/4", "expected a whole number")]
    [InlineData("1-4", "expected I/N")]
    public void A_shard_outside_its_range_is_refused_before_any_work(string flag, string message)
    {
        var error = Assert.Throws<ShardSpecException>(() => ShardSpec.Resolve(flag, Environment()));
        Assert.Contains(message, error.Message);
        Assert.Contains("--shard", error.Message);
    }

    [Fact]
    public void Ssis_run_refuses_a_bad_shard_with_exit_2_before_touching_the_state_folder()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("music"));
        File.WriteAllText(folder.File("job.yaml"), "catalog: {folder: music}\noutput: out\n");
        var (exit, _, errors) = SsisProcess.Run(folder.Path, "run", "job.yaml", "--shard", "4/4");
        Assert.Equal((int)Jobs.ExitCode.BadConfig, exit);
        Assert.Contains("option --shard (I): expected a shard index from 0 to 3 (of 4 shards), got 4.", errors);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public void An_index_without_its_count_names_the_missing_variable()
    {
        var error = Assert.Throws<ShardSpecException>(() => ShardSpec.Resolve(null, Environment((ShardSpec.KubernetesIndexVariable, "2"))));
        Assert.Contains(ShardSpec.KubernetesCountVariable, error.Message);
        error = Assert.Throws<ShardSpecException>(() => ShardSpec.Resolve(null, Environment((ShardSpec.SlurmIndexVariable, "9"), (ShardSpec.SlurmCountVariable, "4"))));
        Assert.Contains(ShardSpec.SlurmIndexVariable, error.Message);
        // A strided array (--array=0-9:2: 5 tasks numbered 0, 2, ..., 8) gets the reason and the way out.
        Assert.EndsWith("An array whose task ids do not run 0 to N−1 (one from 1, or with a step or a gap: --array=1-10, --array=0-9:2) shards wrongly: submit the script 'ssis slurm' writes, or pass --shard I/N.",
            error.Message);
    }

    [Fact]
    public async Task A_run_sharded_by_the_scheduler_s_environment_says_so()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("music"));
        File.WriteAllText(folder.File("job.yaml"), "catalog: {folder: music}\noutput: out\n");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { SsisProcess.Dll, "run", "job.yaml" }) start.ArgumentList.Add(argument);
        start.Environment[ShardSpec.SlurmIndexVariable] = "1";
        start.Environment[ShardSpec.SlurmCountVariable] = "3";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, errors);
        Assert.StartsWith("Running shard 1/3 of the job, from the scheduler's environment (SLURM_ARRAY_TASK_ID=1 and SLURM_ARRAY_TASK_COUNT=3; " +
                          "--shard I/N overrides it)", await output);
    }

    [Fact]
    public void A_file_keeps_its_shard_when_moved_to_another_folder_and_files_spread_over_the_shards()
    {
        using var folder = new TempFolder();
        var stamps = Enumerable.Range(0, 4000).Select(i => new FileStamp(3_000_000 + i * 7919L, 0)).ToList();
        var shards = stamps.Select((s, i) => ShardKey.ShardOf(new TrackRecord(i, $"/music/a/{i % 20:00}.mp3"), s, 8)).ToList();
        var moved = stamps.Select((s, i) => ShardKey.ShardOf(new TrackRecord(i, $"/elsewhere/b/c/{i % 20:00}.mp3"), s, 8)).ToList();
        Assert.Equal(shards, moved);
        // 20 distinct names only, as in a library of albums with numbered files: the size still spreads them.
        var counts = shards.GroupBy(s => s).Select(g => g.Count()).ToList();
        Assert.Equal(8, counts.Count);
        Assert.All(counts, c => Assert.InRange(c, 400, 600));

        var file = folder.Write("x/song.ogg", new byte[1234]);
        var copy = folder.Write("y/song.ogg", new byte[1234]);
        Assert.Equal(ShardKey.Hash(file, 1234), ShardKey.Hash(copy, FileStamp.Of(copy)!.Value.SizeBytes));
        Assert.NotEqual(ShardKey.Hash(file, 1234), ShardKey.Hash(file, 1235));
    }

    [Fact]
    public void Importing_a_shard_store_twice_changes_nothing_the_second_time()
    {
        using var folder = new TempFolder();
        var stamp = new FileStamp(10, 20);
        using (var shard = new StateStore(folder.File("shard")))
            shard.SaveEmbeddings("dsp-v1", [("/a.ogg", stamp, [1f, 2f]), ("/b.ogg", stamp, [3f, 4f])]);
        using var job = new StateStore(folder.File("job"));
        job.SaveEmbeddings("dsp-v1", [("/a.ogg", stamp, [9f, 9f])]);
        Assert.Equal(2, job.ImportShard(folder.File("shard")));
        Assert.Equal(2, job.ImportShard(folder.File("shard")));
        var vectors = job.LoadEmbeddings("dsp-v1");
        Assert.Equal(2, vectors.Count);
        Assert.Equal([1f, 2f], vectors["/a.ogg"].Vector);
        Assert.Throws<FileNotFoundException>(() => job.ImportShard(folder.File("none")));
    }
}
