using System.Globalization;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Jobs.Demo;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Pipeline;

/// <summary>The demo job over real music from Debian's wesnoth-1.16-music, checked by independent Parquet and Arrow readers.</summary>
public class DemoJobTests
{
    [Fact]
    public async Task Demo_run_writes_parquet_whose_durations_agree_with_ffprobe_and_a_rerun_opens_no_audio_file()
    {
        using var folder = new TempFolder();
        var database = DemoLibraryBuilder.Build(Repo.WesnothMusic, folder.File("demo"), TextWriter.Null);
        var options = new JobOptions(new ClementineCatalog(database), folder.File("out"), folder.File("out/state"), 2, GroupingMode.Duration, 2.0,
            Formats: OutputFormats.Parquet | OutputFormats.Arrow);

        var progress = new RecordingProgress();
        var first = await new JobRunner(options, progress).RunAsync();

        Assert.Equal(46, first.Counts.CatalogEntries);
        Assert.Equal((43, 2, 1), (first.Counts.Ok, first.Counts.Errors, first.Counts.Unavailable));
        Assert.Equal(new Dictionary<string, int> { ["FILE_CORRUPT"] = 1, ["FILE_MISSING"] = 1 }, first.ErrorsByCode);
        // Probe opens each file; analysis decodes each probed one once, and its crop also gives the candidates' fingerprints.
        Assert.Equal(44 + first.Analysis!.Analysed, first.Counters.AudioFilesOpened);
        Assert.Equal((43, 0, 0), (first.Analysis.Analysed, first.Analysis.Failed, first.Analysis.Speech));
        var firstEmbedding = Assert.Single(first.Embeddings);
        Assert.Equal(("dsp-v1", 192, 43, 0), (firstEmbedding.ModelVersion, firstEmbedding.Dimension, firstEmbedding.Computed, firstEmbedding.FromStore));
        Assert.True(firstEmbedding.TracksPerSecond > 0);
        Assert.Equal(46, progress.Items["probe"]);

        var tracks = ParquetCheck.Read(Path.Combine(options.OutputFolder, TracksTable.FileName));
        Assert.Equal(46, tracks.Rows);
        Assert.Equal(TracksTable.Schema.Columns.Select(c => c.Name), tracks.Columns.Select(c => c.Name));
        foreach (var row in tracks.Data.Where(r => r.GetProperty("status").GetString() == "ok"))
        {
            var path = row.GetProperty("path").GetString()!;
            var duration = row.GetProperty("duration_s").GetDouble();
            var expected = AudioFactory.FfprobeDuration(path);
            Assert.True(Math.Abs(duration - expected) <= 0.1, string.Create(CultureInfo.InvariantCulture, $"{path}: {duration} vs ffprobe {expected}"));
        }
        var corrupt = tracks.Data.Single(r => r.GetProperty("error_code").GetString() == "FILE_CORRUPT");
        Assert.EndsWith("not really audio.ogg", corrupt.GetProperty("path").GetString());

        // The bit-identical copy and the MP3 transcode share a duration group with their original.
        var groups = ParquetCheck.Read(Path.Combine(options.OutputFolder, GroupsTable.FileName));
        var original = tracks.Data.First(r => r.GetProperty("status").GetString() == "ok").GetProperty("path").GetString()!;
        var originalGroup = groups.Data.Single(r => r.GetProperty("path").GetString() == original).GetProperty("group_id").GetInt32();
        var members = groups.Data.Where(r => r.GetProperty("group_id").GetInt32() == originalGroup).Select(r => r.GetProperty("path").GetString()!).ToList();
        Assert.Contains(members, p => p.Contains("/Copies/") && p.EndsWith(".ogg"));
        Assert.Contains(members, p => p.Contains("/Copies/") && p.EndsWith("(128k).mp3"));

        var duplicates = ParquetCheck.Read(Path.Combine(options.OutputFolder, DuplicatesTable.FileName)).Data;
        Assert.Equal(3, duplicates.Count);
        var canonical = Assert.Single(duplicates, r => r.GetProperty("is_canonical").GetBoolean());
        Assert.Equal(original, canonical.GetProperty("path").GetString());
        Assert.All(duplicates, r => Assert.True(r.GetProperty("similarity").GetDouble() >= 0.9));
        var nonCanonical = tracks.Data.Where(r => r.GetProperty("is_canonical").ValueKind == System.Text.Json.JsonValueKind.False)
            .Select(r => r.GetProperty("path").GetString()!).Order().ToList();
        Assert.Equal(2, nonCanonical.Count);
        Assert.All(nonCanonical, p => Assert.Contains("/Copies/", p));
        Assert.Equal(first.Dedupe!.Candidates, first.Counters.FingerprintsComputed);
        Assert.InRange(StateBytes(options.StateFolder) / first.Counts.CatalogEntries, 1_000, 20_000);

        var second = await new JobRunner(options, new RecordingProgress()).RunAsync();
        Assert.Equal(0, second.Counters.AudioFilesOpened);
        Assert.Equal(0, second.Counters.FingerprintsComputed);
        Assert.Equal(second.Dedupe!.Candidates, second.Dedupe.FromCache);
        Assert.Equal((0, 43), (second.Analysis!.Analysed, second.Analysis.FromCache));
        Assert.Equal(new EmbeddingSummary("dsp-v1", 192, 0, 43, null, null), Assert.Single(second.Embeddings));

        // On real music the dsp encoder's nearest neighbours share the composer more often than chance.
        var embeddings = ParquetCheck.Read(Path.Combine(options.OutputFolder, EmbeddingsTable.FileName));
        Assert.Equal(43, embeddings.Rows);
        Assert.All(embeddings.Data, r => Assert.Equal(192, r.GetProperty("vector").GetArrayLength()));
        var composer = EmbeddingEvaluation.PrecisionAt5(options.OutputFolder).Single(s => s.Label == "composer/artist");
        Assert.True(composer.PrecisionAt5 > composer.ChanceLevel, $"{composer}");
        Assert.Equal(0, second.Counters.FfprobeProcesses);
        Assert.Equal(0, second.Counts.ProbedNow);
        Assert.Equal(first.Counts.Ok + first.ErrorsByCode["FILE_CORRUPT"], second.Counts.FromCache);
        var rerunTracks = ParquetCheck.Read(Path.Combine(options.OutputFolder, TracksTable.FileName));
        Assert.Equal(tracks.Data.Select(r => r.ToString()), rerunTracks.Data.Select(r => r.ToString()));
        // As configs/demo.yaml asks, every table is also an Arrow IPC file with the same rows.
        Assert.Equal(["tracks", "groups", "analysis", "embeddings", "embedding_stats", "fingerprints", "duplicates", "predictions", "recommendations"],
            ArrowCheck.AssertEveryArrowFileMatchesItsParquet(options.OutputFolder, second.Outputs));
        var runJson = RunSummary.Read(options.OutputFolder);
        Assert.Equal(second.RunId, runJson.RunId);
        Assert.Equal(0, runJson.Counters.AudioFilesOpened);
    }

    [Fact]
    public async Task The_demo_configuration_keeps_at_most_40_KB_per_catalog_entry_in_its_state_folder()
    {
        using var folder = new TempFolder();
        var database = DemoLibraryBuilder.Build(Repo.WesnothMusic, folder.File("demo"), TextWriter.Null);
        var config = folder.File("demo.yaml");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(Repo.Root, "configs", "demo.yaml"))
            .Replace("../demo/clementine.db", database).Replace("../out/demo", folder.File("out")));
        var options = JobConfig.Load(config);

        var summary = await new JobRunner(options, new RecordingProgress()).RunAsync();

        Assert.Contains(summary.Embeddings, e => e.ModelVersion.StartsWith(Encoders.ContrastiveName + "-") && e.Computed == 43);
        var perEntry = StateBytes(options.StateFolder) / summary.Counts.CatalogEntries;
        Assert.InRange(perEntry, 20_000, 40_000); // the log-mel excerpts (25 KB a track) are in it
    }

    private static long StateBytes(string stateFolder) =>
        new DirectoryInfo(stateFolder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
