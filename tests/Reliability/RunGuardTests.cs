using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.State;
using SSIS.Batch.Jobs;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Reliability;

/// <summary>
/// Real ssis processes against what a library and a machine throw at a run: FIFOs and devices in the library, a second
/// run on the same state, a folder it may not write, a SIGTERM while ffmpeg children decode.
/// </summary>
public class RunGuardTests
{
    private static string Job(TempFolder folder, string library, string output = "out", int workers = 1)
    {
        var config = folder.File("job.yaml");
        File.WriteAllText(config, $"catalog:\n  folder: {library}\noutput: {output}\nworkers: {workers}\n");
        return config;
    }

    [Fact]
    public void File_kinds_come_from_the_file_system_without_opening_it()
    {
        using var folder = new TempFolder();
        var tone = AudioFactory.Tone(folder.File("tone.ogg"), "ogg", 1.0);
        var fifo = folder.File("pipe.mp3");
        Tools.Run("mkfifo", fifo);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(folder.File("socket.flac")));
        File.CreateSymbolicLink(folder.File("null.wav"), "/dev/null");
        Directory.CreateDirectory(folder.File("album.ogg"));

        Assert.Equal(FileKind.Regular, FileKinds.Of(tone));
        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));
        Assert.Equal(FileKind.Socket, FileKinds.Of(folder.File("socket.flac")));
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of(folder.File("null.wav")));
        Assert.Equal(FileKind.Directory, FileKinds.Of(folder.File("album.ogg")));
        Assert.Equal(FileKind.Missing, FileKinds.Of(folder.File("gone.ogg")));
        Assert.Null(FileKinds.NotAFileReason(tone));
    }

    [Fact]
    public void An_open_that_blocks_is_given_up_at_its_deadline_and_its_late_handle_is_closed()
    {
        using var folder = new TempFolder();
        var fifo = folder.File("swapped.ogg");
        Tools.Run("mkfifo", fifo);
        SafeFileHandle? opened = null;

        // Opening a FIFO for reading blocks until a writer comes: the stand-in for a file on a hung mount.
        Assert.Throws<TimeoutException>(() => FileDeadline.Run(() => opened = File.OpenHandle(fifo), TimeSpan.FromMilliseconds(200)));
        Assert.Null(opened);

        using (File.OpenHandle(fifo, FileMode.Open, FileAccess.Write))
            WaitFor(() => opened is { IsClosed: true });
        Assert.True(opened is { IsClosed: true }, "the handle the late open returned was not closed");
    }

    [Fact]
    public void A_library_with_a_fifo_a_socket_and_a_device_finishes_with_not_a_file_rows()
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 3.0);
        Tools.Run("mkfifo", folder.File("lib/pipe.mp3"));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(folder.File("lib/socket.flac")));
        File.CreateSymbolicLink(folder.File("lib/null.wav"), "/dev/null");

        // Opening the FIFO would block until a writer appears: before NOT_A_FILE this run never ended.
        var (exit, output, errors) = SsisProcess.Run(folder.Path, "run", Job(folder, "lib"));

        Assert.True(exit == 0, errors);
        Assert.Contains("ok 1, errors 3", output);
        Assert.Contains("NOT_A_FILE: 3", output);
        var rows = ParquetCheck.Read(folder.File("out/tracks.parquet")).Data
            .ToDictionary(r => Path.GetFileName(r.GetProperty("path").GetString()!), r => r.GetProperty("error_message").ToString());
        Assert.StartsWith("is a FIFO", rows["pipe.mp3"]);
        Assert.StartsWith("is a socket", rows["socket.flac"]);
        Assert.StartsWith("is a character device", rows["null.wav"]);
    }

    [Fact]
    public void A_second_run_on_the_same_state_refuses_at_once_naming_the_first_which_then_completes()
    {
        using var folder = new TempFolder();
        foreach (var i in Enumerable.Range(0, 6)) AudioFactory.Tone(folder.File($"lib/tone{i}.ogg"), "ogg", 4.0, 220 + 110 * i);
        var config = Job(folder, "lib");
        var holder = folder.File($"out/state/{RunLock.HolderFileName}");

        using var first = SsisProcess.Start(folder.Path, asNobody: false, "run", config);
        WaitFor(() => File.Exists(holder) || first.HasExited);
        Assert.False(first.HasExited, "the first run ended before it could be held");
        // Stopped (SIGSTOP), the first run still holds its lock however long the second takes to start.
        Tools.Run("kill", "-STOP", first.Id.ToString());
        try
        {
            var (exit, output, errors) = SsisProcess.Run(folder.Path, "run", config);
            Assert.Equal((int)ExitCode.StateFolderInUse, exit);
            Assert.Single(errors.Trim().Split('\n'));
            Assert.Contains($"another run is using the state folder {folder.File("out/state")}: pid {first.Id} on host {Environment.MachineName}, started ", errors);
            Assert.DoesNotContain("Reading catalog", output);
        }
        finally
        {
            Tools.Run("kill", "-CONT", first.Id.ToString());
        }

        var (firstExit, firstOutput, firstErrors) = first.Finish();
        Assert.True(firstExit == 0, firstErrors);
        Assert.Contains("ok 6, errors 0", firstOutput);
        Assert.False(File.Exists(holder));
    }

    [Fact]
    public void A_lock_left_by_a_killed_run_is_taken_over()
    {
        using var folder = new TempFolder();
        foreach (var i in Enumerable.Range(0, 3)) AudioFactory.Tone(folder.File($"lib/tone{i}.ogg"), "ogg", 4.0, 220 + 110 * i);
        var config = Job(folder, "lib");
        var holder = folder.File($"out/state/{RunLock.HolderFileName}");
        int killedPid;
        using (var first = SsisProcess.Start(folder.Path, asNobody: false, "run", config))
        {
            WaitFor(() => File.Exists(holder) || first.HasExited);
            Assert.False(first.HasExited, "the first run ended before it could be killed");
            killedPid = first.Id;
            Tools.Run("kill", "-KILL", killedPid.ToString());
            first.Finish();
        }
        Assert.True(File.Exists(folder.File($"out/state/{RunLock.FileName}")));

        var (exit, output, errors) = SsisProcess.Run(folder.Path, "run", config);

        Assert.True(exit == 0, errors);
        Assert.Contains($"Took over the state folder from a run that ended without releasing it (pid {killedPid} on host", output);
        Assert.Contains("ok 3, errors 0", output);
    }

    [Fact]
    public void Stale_temp_files_are_removed_but_a_live_writers_are_kept()
    {
        using var folder = new TempFolder();
        using var live = System.Diagnostics.Process.Start("sleep", "600");
        using var dead = System.Diagnostics.Process.Start("true");
        dead.WaitForExit();
        var liveTemp = folder.Write($".tracks.parquet.{live.Id}.{Guid.NewGuid():N}.ssis-tmp", [1]);
        var deadTemp = folder.Write($".tracks.parquet.{dead.Id}.{Guid.NewGuid():N}.ssis-tmp", [1]);
        try
        {
            Assert.Equal(1, AtomicFile.RemoveStale(folder.Path));
            Assert.True(File.Exists(liveTemp));
            Assert.False(File.Exists(deadTemp));
        }
        finally
        {
            live.Kill();
        }
    }

    [Fact]
    public void An_output_folder_an_ordinary_user_may_not_write_exits_4_with_one_line_naming_it()
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 2.0);
        var config = Job(folder, "lib", output: "locked/out");
        Directory.CreateDirectory(folder.File("locked"));
        var readAndEnter = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                           UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        foreach (var path in new[] { Path.GetDirectoryName(folder.Path)!, folder.Path, folder.File("lib"), folder.File("locked") })
            File.SetUnixFileMode(path, readAndEnter);
        File.SetUnixFileMode(folder.File("lib/tone.ogg"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        using var run = SsisProcess.Start(folder.Path, asNobody: true, "run", config);
        var (exit, output, errors) = run.Finish();

        Assert.Equal((int)ExitCode.OutputNotWritable, exit);
        Assert.Equal($"error: cannot write to the output folder {folder.File("locked/out")}: permission denied; " +
                     "give this user write access or set another 'output:' in the job config.", errors.Trim());
        Assert.Empty(output);
    }

    [Fact]
    public void A_playlist_folder_an_ordinary_user_may_not_write_exits_4_before_any_work()
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 2.0);
        var config = folder.File("job.yaml");
        File.WriteAllText(config, "catalog:\n  folder: lib\noutput: out\nrecommend:\n  xspf: shut/mix.xspf\n");
        Directory.CreateDirectory(folder.File("shut"));
        OtherUser.Open(folder, folder.File("out"), folder.File("lib"), folder.File("shut"));

        var (exit, output, errors) = OtherUser.Run(folder, "run", config);

        Assert.Equal((int)ExitCode.OutputNotWritable, exit);
        Assert.Equal($"error: cannot write to the recommend.xspf folder {folder.File("shut")}: permission denied; " +
                     "give this user write access or set another 'recommend.xspf:' in the job config.", errors.Trim());
        Assert.Empty(output);
    }

    [Fact]
    public void An_output_path_that_is_a_file_exits_4_with_one_line_before_any_work()
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 2.0);
        File.WriteAllText(folder.File("out"), "not a folder");

        var (exit, output, errors) = SsisProcess.Run(folder.Path, "run", Job(folder, "lib"));

        Assert.Equal((int)ExitCode.OutputNotWritable, exit);
        Assert.Equal($"error: the output folder {folder.File("out")} is a file: remove it or set another 'output:' in the job config.", errors.Trim());
        Assert.Empty(output);
    }

    [Fact]
    public void A_damaged_state_store_exits_1_with_one_line_saying_what_to_do_and_is_left_as_it_was()
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 2.0);
        var garbage = Enumerable.Range(0, 8192).Select(i => (byte)(i * 31 % 253)).ToArray();
        Directory.CreateDirectory(folder.File("out/state"));
        File.WriteAllBytes(folder.File($"out/state/{StateStore.FileName}"), garbage);

        var (exit, _, errors) = SsisProcess.Run(folder.Path, "run", Job(folder, "lib"));

        Assert.Equal((int)ExitCode.Failed, exit);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.StartsWith($"error: the state store {folder.File($"out/state/{StateStore.FileName}")} is damaged", errors.Trim());
        Assert.Contains($"Move {folder.File("out/state")} aside and run again", errors);
        Assert.Equal(garbage, File.ReadAllBytes(folder.File($"out/state/{StateStore.FileName}")));
    }

    [Fact]
    public void A_job_config_the_user_may_not_read_exits_2_with_one_line()
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 2.0);
        var config = Job(folder, "lib");
        OtherUser.Open(folder, folder.File("out"), folder.File("lib"));
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var (exit, output, errors) = OtherUser.Run(folder, "run", config);

        Assert.Equal((int)ExitCode.BadConfig, exit);
        Assert.StartsWith($"error: The job config {config} cannot be read:", errors.Trim());
        Assert.Single(errors.Trim().Split('\n'));
        Assert.Empty(output);
    }

    [Fact]
    public void A_damaged_run_json_makes_the_commands_that_read_it_fail_in_one_line_and_the_next_run_rewrites_it()
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 2.0);
        var config = Job(folder, "lib");
        Assert.Equal(0, SsisProcess.Run(folder.Path, "run", config).Exit);
        File.WriteAllText(folder.File($"out/{RunSummary.FileName}"), "{\"run_id\": ");

        foreach (var command in new[] { "status", "report", "recommend", "stats" })
        {
            var (exit, _, errors) = SsisProcess.Run(folder.Path, command, folder.File("out"));
            if (command == "stats") { Assert.True(exit == 0, errors); continue; } // reads tracks.parquet only
            Assert.Equal((int)ExitCode.Failed, exit);
            Assert.Equal($"error: {folder.File($"out/{RunSummary.FileName}")} is not a run summary this version can read", errors.Trim().Split(" (")[0]);
            Assert.EndsWith("run the job again to rewrite it.", errors.Trim());
        }
        var rerun = SsisProcess.Run(folder.Path, "run", config);
        Assert.True(rerun.Exit == 0, rerun.Errors);
        Assert.Equal(0, SsisProcess.Run(folder.Path, "status", folder.File("out")).Exit);
    }

    [Fact]
    public void A_full_disk_exits_4_with_one_line_leaves_no_half_written_output_and_the_run_after_freeing_space_completes()
    {
        if (Environment.UserName != "root") throw new InvalidOperationException("this test mounts a small tmpfs: run the tests as root (./run.sh test uses sudo).");
        using var folder = new TempFolder();
        foreach (var i in Enumerable.Range(0, 8)) AudioFactory.Tone(folder.File($"lib/tone{i}.ogg"), "ogg", 20.0, 200 + 50 * i);
        var disk = folder.File("disk");
        Directory.CreateDirectory(disk);
        Tools.Run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk);
        try
        {
            // Room for the folders and the first writes, not for the run's state (with the contrastive network's checkpoint,
            // about 250 KB) and outputs.
            var filler = folder.Write("disk/filler", new byte[1700 * 1024]);
            var config = Job(folder, "lib", output: "disk/out", workers: 2);

            var (exit, _, errors) = SsisProcess.Run(folder.Path, "run", config);

            Assert.Equal((int)ExitCode.OutputNotWritable, exit);
            Assert.Single(errors.Trim().Split('\n'));
            // Which write meets the full disk first (the state store or an output) depends on their sizes; either ends the run the same way.
            Assert.Matches(@"^error: writing the (state store in .*/disk/out/state|results) failed: .*(full|No space left).*\. Free space", errors);
            Assert.Empty(Directory.GetFiles(disk, "*.ssis-tmp", SearchOption.AllDirectories));
            foreach (var output in Directory.GetFiles(disk, "*.parquet", SearchOption.AllDirectories))
                Assert.True(ParquetCheck.Read(output).Rows > 0, $"{output} is half-written");

            File.Delete(filler);
            var (rerunExit, rerunOutput, rerunErrors) = SsisProcess.Run(folder.Path, "run", config);
            Assert.True(rerunExit == 0, rerunErrors);
            Assert.Contains("ok 8, errors 0", rerunOutput);
            Assert.Equal(8, ParquetCheck.Read(folder.File("disk/out/tracks.parquet")).Rows);
        }
        finally
        {
            Tools.Run("umount", disk);
        }
    }

    [Fact]
    public void An_unforeseen_error_in_the_probe_is_a_row_and_the_finished_run_exits_6_with_one_line()
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 3.0);
        folder.Write("lib/noise.mp3", Enumerable.Range(0, 8192).Select(i => (byte)(i * 7919 % 251)).ToArray());
        // No header reader knows noise.mp3, so it goes to "ffprobe", here a program that answers with something other than
        // JSON: the parse throws where no stage expects it. Before, that faulted the probe block and aborted the run.
        File.WriteAllText(folder.File("job.yaml"), "catalog:\n  folder: lib\noutput: out\nworkers: 1\nprobe:\n  ffprobe: /bin/echo\n");

        var (exit, output, errors) = SsisProcess.Run(folder.Path, "run", "job.yaml");

        Assert.Equal((int)ExitCode.InternalErrors, exit);
        Assert.Contains("ok 1, errors 1", output);
        Assert.Contains("INTERNAL_ERROR: 1", output);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.StartsWith("error: 1 file(s) hit an unforeseen error (INTERNAL_ERROR rows in tracks.parquet", errors);
        var row = ParquetCheck.Read(folder.File("out/tracks.parquet")).Data.Single(r => r.GetProperty("path").GetString()!.EndsWith("noise.mp3"));
        Assert.StartsWith("JsonReaderException", row.GetProperty("error_message").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("513")]
    public void Workers_outside_1_to_512_are_refused_before_any_work(string workers)
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 2.0);

        var (exit, output, errors) = SsisProcess.Run(folder.Path, "run", Job(folder, "lib"), "--workers", workers);

        Assert.Equal((int)ExitCode.BadConfig, exit);
        Assert.Equal($"error: option --workers: expected a whole number from 1 to 512, got {workers}.", errors.Trim());
        Assert.Empty(output);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public void Sigterm_keeps_finished_work_ends_the_ffmpeg_children_and_the_rerun_resumes()
    {
        using var folder = new TempFolder();
        // M4A is decoded by ffmpeg processes, so the run has children when the signal comes.
        foreach (var i in Enumerable.Range(0, 16)) AudioFactory.Tone(folder.File($"lib/tone{i}.m4a"), "m4a", 40.0, 200 + 50 * i);
        var config = Job(folder, "lib", workers: 2);
        var state = folder.File($"out/state/{StateStore.FileName}");

        using var run = SsisProcess.Start(folder.Path, asNobody: false, "run", config);
        WaitFor(() => run.HasExited || StateTables.RowCount(state, "analysis_cache") >= 2);
        Assert.False(run.HasExited, "the run ended before it could be interrupted");
        Tools.Run("kill", "-TERM", run.Id.ToString());
        var (exit, _, errors) = run.Finish();

        Assert.Equal((int)ExitCode.Terminated, exit);
        var kept = StateTables.RowCount(state, "probe_cache") + StateTables.RowCount(state, "analysis_cache");
        Assert.Matches(@"^interrupted: \d+ results kept; rerun to resume$", errors.Trim());
        Assert.True(kept >= 2 + 16, $"state store holds {kept} results");
        Assert.Empty(ProcessesReading(folder.File("lib")));

        var (rerunExit, rerunOutput, rerunErrors) = SsisProcess.Run(folder.Path, "run", config);
        Assert.True(rerunExit == 0, rerunErrors);
        Assert.Contains("ok 16, errors 0", rerunOutput);
        Assert.Matches(@"analysis: \d+ analysed, [1-9]\d* from cache", rerunOutput);
    }

    /// <summary>Processes whose command line names <paramref name="folder"/> (the ffmpeg decoders of its files).</summary>
    private static List<string> ProcessesReading(string folder) =>
        Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d =>
            {
                try { return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' '); }
                catch (IOException) { return ""; }
            })
            .Where(c => c.Contains(folder, StringComparison.Ordinal) && !c.Contains("ssis.dll", StringComparison.Ordinal))
            .ToList();

    private static void WaitFor(Func<bool> condition)
    {
        var guard = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!condition() && DateTime.UtcNow < guard) Thread.Sleep(10);
    }
}
