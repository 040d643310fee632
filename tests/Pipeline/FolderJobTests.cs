using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.State;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Pipeline;

public class FolderJobTests
{
    [Fact]
    public async Task A_rerun_probes_exactly_the_added_and_changed_files()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        AudioFactory.Tone(Path.Combine(library, "a.ogg"), "ogg", 3.0);
        AudioFactory.Tone(Path.Combine(library, "b.flac"), "flac", 4.0);
        var copy = Path.Combine(library, "sub", "b copy.flac");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(Path.Combine(library, "b.flac"), copy);
        var options = TestJobs.OverFolder(folder, library, 1, GroupingMode.Strict);

        var first = await new JobRunner(options, new RecordingProgress()).RunAsync();
        Assert.Equal((3, 3), (first.Counts.Ok, first.Counts.ProbedNow));
        Assert.Equal(1, first.Groups.Groups);
        Assert.Equal(RunSteps.InOrder.Where(s => s.IsEnabled(options)).Select(s => s.Name), first.StageSeconds.Keys);

        AudioFactory.Tone(Path.Combine(library, "a.ogg"), "ogg", 6.0);
        File.SetLastWriteTimeUtc(Path.Combine(library, "a.ogg"), DateTime.UtcNow.AddMinutes(1));
        AudioFactory.Tone(Path.Combine(library, "c.mp3"), "cbr.mp3", 2.0);
        var second = await new JobRunner(options, new RecordingProgress()).RunAsync();

        Assert.Equal((4, 2, 2), (second.Counts.Ok, second.Counts.ProbedNow, second.Counts.FromCache));
        Assert.Equal((2, 2), (second.Analysis!.Analysed, second.Analysis.FromCache));
        Assert.Equal(2 + 2, second.Counters.AudioFilesOpened); // probe and analysis of the two new versions
        var a = ParquetCheck.Read(Path.Combine(options.OutputFolder, TracksTable.FileName)).Data
            .Single(r => r.GetProperty("path").GetString()!.EndsWith("a.ogg"));
        Assert.InRange(a.GetProperty("duration_s").GetDouble(), 5.9, 6.1);
    }

    [Fact]
    public async Task Changing_an_analysis_parameter_recomputes_the_analysis_and_nothing_before_it()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        AudioFactory.Tone(Path.Combine(library, "a.ogg"), "ogg", 12.0);
        AudioFactory.Tone(Path.Combine(library, "b.mp3"), "cbr.mp3", 12.0, 880);
        JobOptions Options(double cropSeconds) => new(new FolderCatalog(library, FolderCatalog.DefaultExtensions), folder.File("out"),
            folder.File("state"), 1, GroupingMode.Duration, 2.0, Analysis: new Engine.Analysis.AnalysisOptions(Crop: new Engine.Audio.CropSpec(cropSeconds)));

        await new JobRunner(Options(10), new RecordingProgress()).RunAsync();
        var changed = await new JobRunner(Options(6), new RecordingProgress()).RunAsync();

        Assert.Equal((0, 2), (changed.Counts.ProbedNow, changed.Counts.FromCache));
        Assert.Equal((2, 0), (changed.Analysis!.Analysed, changed.Analysis.FromCache));
        var crops = ParquetCheck.Read(Path.Combine(folder.File("out"), AnalysisTable.FileName)).Data.Select(r => r.GetProperty("crop_length_s").GetDouble());
        Assert.All(crops, c => Assert.Equal(6.0, c, 1));
    }

    /// <summary>With output.formats [parquet, arrow], every table is also an Arrow IPC file with the same rows, by the independent readers.</summary>
    [Fact]
    public async Task Every_arrow_file_holds_the_rows_of_its_parquet_file()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        AudioFactory.Tone(Path.Combine(library, "a.flac"), "flac", 3.0, 1000);
        AudioFactory.Tone(Path.Combine(library, "b.ogg"), "ogg", 4.0, 440);
        File.Copy(Path.Combine(library, "a.flac"), Path.Combine(library, "a copy.flac"));
        File.WriteAllText(Path.Combine(library, "broken.mp3"), "not audio");
        var options = TestJobs.OverFolder(folder, library, 1, GroupingMode.Strict) with
        {
            Analysis = new Engine.Analysis.AnalysisOptions(WriteMel: true),
            Formats = OutputFormats.Parquet | OutputFormats.Arrow,
        };

        var summary = await new JobRunner(options, new RecordingProgress()).RunAsync();

        var tables = ArrowCheck.AssertEveryArrowFileMatchesItsParquet(options.OutputFolder, summary.Outputs);
        // segments.files: speech is the default: the tables are written even when no file was flagged.
        Assert.Equal(["tracks", "groups", "analysis", "mel", "embeddings", "embedding_stats", "segments", "previews", "fingerprints", "duplicates"], tables);
        var mtime = ParquetCheck.Read(Path.Combine(options.OutputFolder, TracksTable.FileName)).Columns.Single(c => c.Name == "mtime_utc");
        Assert.True(mtime.AdjustedToUtc);
    }

    [Fact]
    public async Task Mel_frames_are_written_when_asked_and_match_the_analysis_summary_within_the_stored_quantisation()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        AudioFactory.Tone(Path.Combine(library, "a.flac"), "flac", 3.0, 1000);
        var options = TestJobs.OverFolder(folder, library, 1, GroupingMode.Strict) with { Analysis = new Engine.Analysis.AnalysisOptions(WriteMel: true) };

        await new JobRunner(options, new RecordingProgress()).RunAsync();

        var mel = Assert.Single(ParquetCheck.Read(Path.Combine(options.OutputFolder, MelTable.FileName)).Data);
        var frames = mel.GetProperty("frames").GetInt32();
        Assert.Equal(64, mel.GetProperty("bands").GetInt32());
        Assert.InRange(frames, 149, 151); // the stored excerpt: 3 s at the encoder's 20 ms hop
        var values = mel.GetProperty("log_mel_db").EnumerateArray().Select(frame => frame.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        Assert.Equal(frames, values.Length);
        Assert.All(values, frame => Assert.Equal(64, frame.Length));
        var analysis = Assert.Single(ParquetCheck.Read(Path.Combine(options.OutputFolder, AnalysisTable.FileName)).Data);
        foreach (var band in new[] { 10, 40 })
            Assert.Equal(analysis.GetProperty("mel_mean_db")[band].GetSingle(), values.Average(frame => frame[band]), 0.2);
    }

    [Fact]
    public async Task Hostile_files_get_typed_rows_and_the_run_finishes()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        AudioFactory.Tone(Path.Combine(library, "good.opus"), "opus", 2.0);
        folder.Write("library/empty.mp3", []);
        folder.Write("library/noise.flac", Enumerable.Range(0, 5000).Select(i => (byte)(i * 31 % 256)).ToArray());
        File.Copy(Path.Combine(library, "good.opus"), Path.Combine(library, "opus named.m4a"));
        File.CreateSymbolicLink(Path.Combine(library, "broken link.mp3"), Path.Combine(library, "gone.mp3"));
        Directory.CreateDirectory(Path.Combine(library, "folder.mp3"));
        var options = TestJobs.OverFolder(folder, library, 2, GroupingMode.Duration);

        var summary = await new JobRunner(options, new RecordingProgress()).RunAsync();

        var rows = ParquetCheck.Read(Path.Combine(options.OutputFolder, TracksTable.FileName)).Data
            .ToDictionary(r => Path.GetFileName(r.GetProperty("path").GetString()!), r => r.GetProperty("error_code").GetString() ?? "ok");
        Assert.Equal(new Dictionary<string, string>
        {
            ["good.opus"] = "ok",
            ["opus named.m4a"] = "ok",
            ["empty.mp3"] = "FILE_CORRUPT",
            ["noise.flac"] = "FILE_CORRUPT",
            ["broken link.mp3"] = "FILE_MISSING",
        }, rows);
        Assert.Equal(2, summary.Counts.Ok);
        Assert.Equal(3, summary.Counts.Errors);
        // The two 2 s files are the same recording but too short to fingerprint: skipped, not failed.
        Assert.Equal((2, 2, 0), (summary.Dedupe!.Candidates, summary.Dedupe.TooShort, summary.Dedupe.Failed));
    }
    [Fact]
    public void An_unchanged_rerun_opens_no_audio_file_and_its_counters_describe_only_its_own_work()
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/good.ogg"), "ogg", 8.0);
        // Two copies of a 2 s clip: duplicate candidates, analysed, but too short for a fingerprint.
        File.Copy(AudioFactory.Tone(folder.File("lib/clip.opus"), "opus", 2.0), folder.File("lib/clip copy.opus"));
        AudioFactory.Tone(folder.File("lib/blip.flac"), "flac", 0.5, 880);
        AudioFactory.Tone(folder.File("lib/long.mp3"), "cbr.mp3", 40.0, 330);
        // A valid header, then garbage: probed, then a lasting analysis failure.
        var garbled = File.ReadAllBytes(AudioFactory.Tone(folder.File("h.mp3"), "cbr.mp3", 20.0, 550));
        var random = new Random(5);
        for (var i = 4096; i < garbled.Length; i++) garbled[i] = (byte)random.Next(256);
        folder.Write("lib/garbled.mp3", garbled);
        var config = folder.File("job.yaml");
        File.WriteAllText(config, """
            catalog: {folder: lib}
            output: out
            state: state
            workers: 2
            group: {mode: duration}
            analysis: {max_duration_s: 30}
            """);

        RunSummary Run()
        {
            Tools.Run("dotnet", Path.Combine(Repo.Root, "jobs", "bin", "Release", "net10.0", "ssis.dll"), "run", config);
            return RunSummary.Read(folder.File("out"));
        }

        var first = Run();
        Assert.Equal(new Dictionary<string, int> { ["FILE_CORRUPT"] = 1, ["FILE_TOO_SHORT"] = 1 }, first.ErrorsByCode);
        Assert.Equal(new Dictionary<string, int> { ["FILE_TOO_LONG"] = 1 }, first.SkippedByCode);
        Assert.Equal((3, 2), (first.Analysis!.Analysed, first.Analysis.Failed));
        Assert.True(first.Dedupe!.TooShort >= 2, $"{first.Dedupe}");
        // Six probes, the analysis opens the four files the crop does not refuse from their duration, the two
        // candidates of equal size are read once more for their content hash (byte-identical copies), and the file too
        // long for the crop is segmented whole (segments.files: speech, the default), its preview from that same decode.
        Assert.Equal(6 + 4 + 2 + 1, first.Counters.AudioFilesOpened);

        var second = Run();
        Assert.Equal(first.ErrorsByCode, second.ErrorsByCode);
        Assert.Equal(first.SkippedByCode, second.SkippedByCode);
        var counters = second.Counters;
        Assert.Equal((0L, 0L, 0L, 0L), (counters.AudioFilesOpened, counters.FfprobeProcesses, counters.FingerprintsComputed, counters.FfmpegDecoderProcesses));
        Assert.Equal((0, 0, 0), (second.Analysis!.Analysed, second.Analysis.DecodedInProcess, second.Analysis.DecodedByFfmpeg));
        Assert.Equal(first.Analysis.Analysed + 1, second.Analysis.FromCache); // the analyses and the lasting failure
        Assert.Equal(first.Dedupe.TooShort, second.Dedupe!.TooShort);
        // The skip is a skip in the ledger too, and the unchanged rerun added no row.
        Assert.Contains(new ErrorCount(AnalysisStage.Name, "FILE_TOO_LONG", 1, $"{folder.File("lib/long.mp3")}: 40 s is over the 30 s limit (analysis.max_duration_s)"),
            LedgerReports.Read(first.StateFolder, first.RunId).Errors);
        Assert.Contains(LedgerReports.Read(first.StateFolder, first.RunId).Stages, s => s is { Stage: AnalysisStage.Name, Status: "skipped", Files: 1 });
        Assert.Empty(LedgerReports.Read(second.StateFolder, second.RunId).Stages);

        // A lower limit applies to the results cached before it, from the cached probes: good.ogg (8 s, analysed) and
        // garbled.mp3 (20 s by its header, a cached failure) are skipped now; only the two clips come from the cache.
        File.WriteAllText(config, File.ReadAllText(config).Replace("max_duration_s: 30", "max_duration_s: 7"));
        var lowered = Run();
        Assert.Equal(new Dictionary<string, int> { ["FILE_TOO_LONG"] = 3 }, lowered.SkippedByCode);
        Assert.Equal(new Dictionary<string, int> { ["FILE_TOO_SHORT"] = 1 }, lowered.ErrorsByCode);
        Assert.Equal((0, 2), (lowered.Analysis!.Analysed, lowered.Analysis.FromCache));
        // Refusals from cached probes are no work: no ledger row; status says the limits decided them, not the cache.
        Assert.DoesNotContain(LedgerReports.Read(lowered.StateFolder, lowered.RunId).Stages, s => s.Stage == AnalysisStage.Name);
        var status = new StringWriter();
        Assert.Equal(0, Jobs.Commands.StatusCommand.Run(folder.File("out"), json: false, status, TextWriter.Null));
        Assert.Matches(@"FILE_TOO_LONG\s+3 \(analysis, by the job's limits\)", status.ToString());
        Assert.Matches(@"FILE_TOO_SHORT\s+1 \(analysis, by the job's limits\)", status.ToString());
    }
}
