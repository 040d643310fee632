using System.Globalization;
using System.Text.Json;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Jobs.Commands;
using SSIS.Batch.Jobs.Demo;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Pipeline;

/// <summary>
/// The demo job over real music from Debian's wesnoth-1.16-music (liked) and planetblupi-music-ogg (disliked), checked by
/// independent Parquet and Arrow readers; then the commands a user runs over its outputs.
/// </summary>
public class DemoJobTests
{
    [Fact]
    public async Task Demo_run_writes_parquet_whose_durations_agree_with_ffprobe_a_rerun_opens_no_audio_file_and_the_review_commands_change_no_library_file()
    {
        using var folder = new TempFolder();
        var database = DemoLibraryBuilder.Build(Repo.WesnothMusic, Repo.PlanetBlupiMusic, folder.File("demo"), TextWriter.Null);
        var options = new JobOptions(new ClementineCatalog(database), folder.File("out"), folder.File("out/state"), 2, GroupingMode.Duration, 2.0,
            Formats: OutputFormats.Parquet | OutputFormats.Arrow);

        var progress = new RecordingProgress();
        var first = await new JobRunner(options, progress).RunAsync();

        // 41 liked tracks, 10 disliked excerpts, 3 copies, a 20-minute track, a corrupt file, a missing one, an unavailable one.
        Assert.Equal(58, first.Counts.CatalogEntries);
        Assert.Equal((54, 2, 1, 1), (first.Counts.Ok, first.Counts.Errors, first.Counts.Unavailable, first.Counts.Skipped));
        Assert.Equal(new Dictionary<string, int> { ["FILE_CORRUPT"] = 1, ["FILE_MISSING"] = 1 }, first.ErrorsByCode);
        Assert.Equal(new Dictionary<string, int> { ["FILE_TOO_LONG"] = 1 }, first.SkippedByCode);
        // Probe opens each file; analysis decodes each probed one once (the long one is skipped unopened), and its crop also
        // gives the candidates' fingerprints; the bit-identical pair (the only candidates of equal size) is read for its hash;
        // the long one is segmented whole, its preview from that same decode (segments.files: speech, the default; no
        // music crop is flagged or doubted).
        Assert.Equal(56 + first.Analysis!.Analysed + 2 + 1, first.Counters.AudioFilesOpened);
        Assert.Equal((54, 0, 0), (first.Analysis.Analysed, first.Analysis.Failed, first.Analysis.Speech));
        // The default encoders, dsp, spectral and the contrastive network trained on the demo's audio, each give every
        // analysed track a vector; the model reads the three.
        var contrastive = first.Embeddings[2].ModelVersion;
        Assert.StartsWith("contrastive-", contrastive);
        Assert.Equal([("dsp-v1", 192, 54, 0), ("spectral-v2", 58, 54, 0), (contrastive, 64, 54, 0)],
            first.Embeddings.Select(e => (e.ModelVersion, e.Dimension, e.Computed, e.FromStore)));
        Assert.All(first.Embeddings, e => Assert.True(e.TracksPerSecond > 0));
        Assert.Equal(58, progress.Items["probe"]);
        // The taste follows the package, which the audio shows: the model learns it, and no warning is given.
        Assert.Equal($"dsp-v1+spectral-v2+{contrastive}", first.Rating!.EmbeddingVersion);
        Assert.True(first.Rating.CrossValidated.Auc >= 0.8, $"{first.Rating.CrossValidated}");
        Assert.Empty(first.Warnings);

        var tracks = ParquetCheck.Read(Path.Combine(options.OutputFolder, TracksTable.FileName));
        Assert.Equal(58, tracks.Rows);
        var skipped = Assert.Single(tracks.Data, r => r.GetProperty("status").GetString() == "skipped");
        Assert.EndsWith("(whole).ogg", skipped.GetProperty("path").GetString());
        Assert.Equal("FILE_TOO_LONG", skipped.GetProperty("error_code").GetString());
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

        // Two groups: the rated original keeps its copy and MP3 (rated wins), and an unrated track loses to its FLAC (lossless wins).
        var duplicates = ParquetCheck.Read(Path.Combine(options.OutputFolder, DuplicatesTable.FileName)).Data;
        Assert.Equal(5, duplicates.Count);
        var canonicals = duplicates.Where(r => r.GetProperty("is_canonical").GetBoolean())
            .ToDictionary(r => r.GetProperty("path").GetString()!, r => r.GetProperty("decided_by").GetString());
        Assert.Equal("rated", canonicals[original]);
        Assert.Equal("lossless", Assert.Single(canonicals, c => c.Key.EndsWith(".flac")).Value);
        Assert.Equal("identical_bytes", duplicates.Single(r => r.GetProperty("path").GetString()!.EndsWith("/Copies/" + Path.GetFileName(original)))
            .GetProperty("matched_by").GetString());
        Assert.All(duplicates, r => Assert.True(r.GetProperty("similarity").GetDouble() >= 0.9));
        var nonCanonical = tracks.Data.Where(r => r.GetProperty("is_canonical").ValueKind == System.Text.Json.JsonValueKind.False)
            .Select(r => r.GetProperty("path").GetString()!).Order().ToList();
        Assert.Equal(3, nonCanonical.Count);
        Assert.Equal(2, nonCanonical.Count(p => p.Contains("/Copies/")));
        Assert.Equal(first.Dedupe!.Candidates, first.Counters.FingerprintsComputed);
        // The log-mel excerpt the contrastive network reads (25 KB a track) and its checkpoint: issue 13's 40 KB a catalog entry.
        Assert.InRange(StateBytes(options.StateFolder) / first.Counts.CatalogEntries, 20_000, 40_000);

        var second = await new JobRunner(options, new RecordingProgress()).RunAsync();
        Assert.Equal(0, second.Counters.AudioFilesOpened);
        Assert.Equal(0, second.Counters.FingerprintsComputed);
        Assert.Equal(second.Dedupe!.Candidates, second.Dedupe.FromCache);
        Assert.Equal((0, 54), (second.Analysis!.Analysed, second.Analysis.FromCache));
        Assert.Equal([new EmbeddingSummary("dsp-v1", 192, 0, 54, null, null), new EmbeddingSummary("spectral-v2", 58, 0, 54, null, null),
            new EmbeddingSummary(contrastive, 64, 0, 54, null, null)], second.Embeddings);

        // On real music the dsp encoder's nearest neighbours share the composer more often than chance.
        var embeddings = ParquetCheck.Read(Path.Combine(options.OutputFolder, EmbeddingsTable.FileName));
        Assert.Equal(3 * 54, embeddings.Rows);
        var dimensions = new Dictionary<string, int> { ["dsp-v1"] = 192, ["spectral-v2"] = 58, [contrastive] = 64 };
        Assert.All(embeddings.Data, r => Assert.Equal(dimensions[r.GetProperty("model_version").GetString()!], r.GetProperty("vector").GetArrayLength()));
        var composer = EmbeddingEvaluation.PrecisionAt5(options.OutputFolder).Single(s => s is { Label: "composer/artist", ModelVersion: "dsp-v1" });
        Assert.True(composer.PrecisionAt5 > composer.ChanceLevel, $"{composer}");
        Assert.Equal(0, second.Counters.FfprobeProcesses);
        Assert.Equal(0, second.Counts.ProbedNow);
        Assert.Equal(first.Counts.Ok + first.Counts.Skipped + first.ErrorsByCode["FILE_CORRUPT"], second.Counts.FromCache);
        var rerunTracks = ParquetCheck.Read(Path.Combine(options.OutputFolder, TracksTable.FileName));
        Assert.Equal(tracks.Data.Select(r => r.ToString()), rerunTracks.Data.Select(r => r.ToString()));
        // As configs/demo.yaml asks, every table is also an Arrow IPC file with the same rows.
        Assert.Equal(["tracks", "groups", "analysis", "embeddings", "embedding_stats", "segments", "previews", "fingerprints", "duplicates", "rating_cv", "predictions", "recommendations"],
            ArrowCheck.AssertEveryArrowFileMatchesItsParquet(options.OutputFolder, second.Outputs));
        var runJson = RunSummary.Read(options.OutputFolder);
        Assert.Equal(second.RunId, runJson.RunId);
        Assert.Equal(0, runJson.Counters.AudioFilesOpened);

        // ssis duplicates: the groups for review, canonical first; --m3u lists the other copies; nothing in the library changes.
        var library = Path.GetDirectoryName(Path.GetDirectoryName(original)!)!;
        var before = Snapshot(library);
        var text = new StringWriter();
        var m3u = folder.File("copies.m3u");
        Assert.Equal(0, DuplicatesCommand.Run(options.OutputFolder, false, m3u, text, TextWriter.Null));
        Assert.StartsWith("2 duplicate groups, 3 non-canonical copies", text.ToString());
        Assert.Contains("(canonical by lossless)", text.ToString());
        Assert.Contains("canonical: lossless: flac over vorbis", text.ToString());
        // Every copy's path starts in the same column, whatever its codec's name.
        Assert.Single(text.ToString().Split('\n').Where(l => l.StartsWith("  * ") || l.StartsWith("    ")).Select(l => l.IndexOf(" /", StringComparison.Ordinal)).Distinct());
        Assert.Equal(nonCanonical, File.ReadAllLines(m3u).Where(l => !l.StartsWith('#')).Order());
        var json = new StringWriter();
        Assert.Equal(0, DuplicatesCommand.Run(options.OutputFolder, true, null, json, TextWriter.Null));
        var review = JsonDocument.Parse(json.ToString()).RootElement.EnumerateArray().ToList();
        Assert.Equal(2, review.Count);
        foreach (var group in review)
        {
            var copies = group.GetProperty("members").EnumerateArray().ToList();
            Assert.True(copies[0].GetProperty("is_canonical").GetBoolean());
            Assert.All(copies.Skip(1), m => Assert.False(m.GetProperty("is_canonical").GetBoolean()));
            Assert.All(copies, m => Assert.True(m.GetProperty("bit_rate_bps").GetInt64() > 0 && m.GetProperty("size_bytes").GetInt64() > 0));
        }
        Assert.Equal(before, Snapshot(library));

        // ssis recommend: defaults from the run's settings (min_rating 0.7 here), run.json follows the new playlist, and an
        // empty playlist replaces one that lists tracks only with --force.
        var xspf = Path.Combine(options.OutputFolder, XspfPlaylist.FileName);
        var recommended = new StringWriter();
        Assert.Equal(0, RecommendCommand.Run(options.OutputFolder, new RecommendOverrides(TopN: 3), false, recommended, TextWriter.Null));
        Assert.Contains("top_n 3, min_rating 0.70, per_artist none, diversity 0.00)", recommended.ToString());
        Assert.Equal((3, 0.7), (RunSummary.Read(options.OutputFolder).Rating!.Recommended, RunSummary.Read(options.OutputFolder).Rating!.Settings!.MinRating));
        Assert.Equal(3, XspfPlaylist.TrackCount(xspf));
        // Named relative to the folder it runs in, OUT still leaves the playlist's full path in run.json, as ssis run does.
        var (relativeExit, _, _) = SsisProcess.Run(Path.GetDirectoryName(options.OutputFolder)!, "recommend", Path.GetFileName(options.OutputFolder), "--top-n", "3");
        Assert.Equal((0, xspf), (relativeExit, RunSummary.Read(options.OutputFolder).Rating!.Xspf));
        var unreachable = ParquetCheck.Read(Path.Combine(options.OutputFolder, PredictionsTable.FileName)).Data
            .Max(r => r.GetProperty("predicted_rating").GetDouble()) + 0.01;
        var refused = new StringWriter();
        Assert.Equal(1, RecommendCommand.Run(options.OutputFolder, new RecommendOverrides(MinRating: unreachable), false, TextWriter.Null, refused));
        Assert.Contains("keeps its 3 tracks", refused.ToString());
        Assert.Equal((3, 3), (XspfPlaylist.TrackCount(xspf), RunSummary.Read(options.OutputFolder).Rating!.Recommended));
        Assert.Equal(0, RecommendCommand.Run(options.OutputFolder, new RecommendOverrides(MinRating: unreachable), true, TextWriter.Null, TextWriter.Null));
        Assert.Equal((0, 0), (XspfPlaylist.TrackCount(xspf), RunSummary.Read(options.OutputFolder).Rating!.Recommended));
        // run.json's warnings and the report follow the playlist: an empty one is warned of once, and no longer once it lists tracks.
        var emptied = RunSummary.Read(options.OutputFolder);
        Assert.Single(emptied.Warnings, w => w == emptied.Rating!.EmptyPlaylistWarning);
        Assert.Contains("No unrated track was predicted above the playlist", File.ReadAllText(Path.Combine(options.OutputFolder, "report.html")));
        Assert.Equal(0, RecommendCommand.Run(options.OutputFolder, new RecommendOverrides(MinRating: 0.7), false, TextWriter.Null, TextWriter.Null));
        var refilled = RunSummary.Read(options.OutputFolder);
        Assert.DoesNotContain(refilled.Warnings, w => w.Contains(" is empty: "));
        Assert.DoesNotContain("No unrated track was predicted above the playlist", File.ReadAllText(Path.Combine(options.OutputFolder, "report.html")));
    }

    [Fact]
    public async Task The_demo_configuration_keeps_at_most_40_KB_per_catalog_entry_in_its_state_folder()
    {
        using var folder = new TempFolder();
        var database = DemoLibraryBuilder.Build(Repo.WesnothMusic, Repo.PlanetBlupiMusic, folder.File("demo"), TextWriter.Null);
        var config = folder.File("demo.yaml");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(Repo.Root, "configs", "demo.yaml"))
            .Replace("../demo/clementine.db", database).Replace("../out/demo", folder.File("out")));
        var options = JobConfig.Load(config);

        var summary = await new JobRunner(options, new RecordingProgress()).RunAsync();

        Assert.Contains(summary.Embeddings, e => e.ModelVersion.StartsWith(Encoders.ContrastiveName + "-") && e.Computed == summary.Analysis!.Analysed);
        var perEntry = StateBytes(options.StateFolder) / summary.Counts.CatalogEntries;
        Assert.InRange(perEntry, 20_000, 40_000); // the log-mel excerpts (25 KB a track) are in it
    }

    private static long StateBytes(string stateFolder) =>
        new DirectoryInfo(stateFolder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    /// <summary>Every file under a folder with its size and modification time.</summary>
    private static List<string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f).Ticks}").ToList();
}
