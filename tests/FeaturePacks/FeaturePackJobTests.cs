using System.Text.Json.Serialization;
using SSIS.Batch.Engine.FeaturePacks;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Jobs.Demo;
using SSIS.Batch.Tests.Pipeline;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.FeaturePacks;

/// <summary>`feature_packs:` in a job: off unless asked, a pack per file segmented whole, kept across reruns by its version.</summary>
public class FeaturePackJobTests
{
    private static string Library(TempFolder folder)
    {
        var library = folder.File("library");
        Directory.CreateDirectory(library);
        AudioFactory.Tone(Path.Combine(library, "tone.flac"), "flac", 4, frequencyHz: 1000);
        AudioFactory.Tone(Path.Combine(library, "low.ogg"), "ogg", 3, frequencyHz: 300);
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=0.5", "-c:a", "flac", Path.Combine(library, "blip.flac"));
        return library;
    }

    private static Task<RunSummary> Run(string job) => new JobRunner(JobConfig.Load(job), new RecordingProgress()).RunAsync();

    [Fact]
    public async Task Off_by_default_a_segmenting_run_writes_no_pack()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("job.yaml"), $"catalog: {{folder: {Library(folder)}}}\noutput: out\nsegments:\n  files: all\n");
        var summary = await Run(folder.File("job.yaml"));
        Assert.Contains("segments", summary.StageSeconds.Keys);
        Assert.DoesNotContain(FeaturePackStage.Name, summary.StageSeconds.Keys);
        Assert.False(Directory.Exists(folder.File("out/" + FeaturePackLayout.FolderName)));
    }

    [Fact]
    public async Task Each_segmented_file_gets_a_pack_a_rerun_opens_no_file_and_a_new_version_rewrites_them()
    {
        using var folder = new TempFolder();
        var library = Library(folder);
        string Job(int rowGroupSeconds) =>
            $"catalog: {{folder: {library}}}\noutput: out\nsegments:\n  files: all\nfeature_packs:\n  enabled: true\n  row_group_s: {rowGroupSeconds}\n";
        File.WriteAllText(folder.File("job.yaml"), Job(60));
        await Run(folder.File("job.yaml"));

        // Parquet.Net for the ids: the JavaScript reader's JSON rounds 64-bit integers.
        var tracks = ParquetRows.Read<TrackPath>(folder.File("out/" + TracksTable.Schema.ParquetFileName)).ToDictionary(t => Path.GetFileName(t.Path), t => t.Id!.Value);
        var packs = Directory.GetFiles(folder.File("out/feature_packs")).Select(p => Path.GetFileName(p)).Order().ToList();
        // The 0.5 s blip is too short to segment, so it has no pack.
        Assert.Equal(new[] { tracks["low.ogg"], tracks["tone.flac"] }.Select(id => $"{id}.parquet").Order(), packs);
        var tone = ParquetCheck.Read(FeaturePackLayout.PathOf(folder.File("out"), tracks["tone.flac"]));
        Assert.Equal("feature-pack-1-rg60s", tone.Metadata[FeaturePackLayout.VersionKey]);
        Assert.Equal("logmel-stats-1", tone.Metadata[FeaturePackLayout.EmbeddingKey]);
        Assert.EndsWith("tone.flac", tone.Metadata[FeaturePackLayout.PathKey]);
        Assert.Equal((8L, 1), (tone.Rows, tone.RowGroups));
        Assert.All(ParquetRows.Read<TrackId>(FeaturePackLayout.PathOf(folder.File("out"), tracks["tone.flac"])), r => Assert.Equal(tracks["tone.flac"], r.Id));
        var written = packs.ToDictionary(p => p, p => File.GetLastWriteTimeUtc(folder.File("out/feature_packs/" + p)));

        var rerun = await Run(folder.File("job.yaml"));
        Assert.Equal(0, rerun.Counters.AudioFilesOpened);
        Assert.All(packs, p => Assert.Equal(written[p], File.GetLastWriteTimeUtc(folder.File("out/feature_packs/" + p))));

        // A pack deleted by hand is written again, and only it is opened.
        File.Delete(folder.File($"out/feature_packs/{tracks["low.ogg"]}.parquet"));
        var repair = await Run(folder.File("job.yaml"));
        Assert.Equal(1, repair.Counters.AudioFilesOpened);
        Assert.True(File.Exists(folder.File($"out/feature_packs/{tracks["low.ogg"]}.parquet")));

        File.WriteAllText(folder.File("job.yaml"), Job(1));
        var changed = await Run(folder.File("job.yaml"));
        Assert.Equal(2, changed.Counters.AudioFilesOpened);
        var rewritten = ParquetCheck.Read(FeaturePackLayout.PathOf(folder.File("out"), tracks["tone.flac"]));
        Assert.Equal("feature-pack-1-rg1s", rewritten.Metadata[FeaturePackLayout.VersionKey]);
        Assert.Equal((8L, 4), (rewritten.Rows, rewritten.RowGroups));
        Assert.Equal(tone.Data.Select(r => r.ToString()), rewritten.Data.Select(r => r.ToString()));
    }

    [Fact]
    public async Task A_successful_run_deletes_the_packs_of_files_gone_from_the_catalog_and_nothing_else()
    {
        using var folder = new TempFolder();
        var library = Library(folder);
        File.WriteAllText(folder.File("job.yaml"), $"catalog: {{folder: {library}}}\noutput: out\nsegments:\n  files: all\nfeature_packs:\n  enabled: true\n");
        await Run(folder.File("job.yaml"));
        var tracks = ParquetRows.Read<TrackPath>(folder.File("out/" + TracksTable.Schema.ParquetFileName)).ToDictionary(t => Path.GetFileName(t.Path), t => t.Id!.Value);
        string Pack(long id) => FeaturePackLayout.PathOf(folder.File("out"), id);
        Assert.True(File.Exists(Pack(tracks["low.ogg"])) && File.Exists(Pack(tracks["tone.flac"])));
        // An older run's pack of a file long gone, and what is not a pack of this folder: another file, a subfolder's
        // pack-named file, one outside the folder.
        File.Copy(Pack(tracks["low.ogg"]), Pack(-123));
        var kept = new[] { folder.File("out/feature_packs/notes.parquet"), folder.File("out/feature_packs/old/7.parquet"), folder.File("out/7.parquet") };
        foreach (var path in kept)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "not a pack of this run");
        }
        File.Delete(Path.Combine(library, "low.ogg"));
        var toneWritten = File.GetLastWriteTimeUtc(Pack(tracks["tone.flac"]));

        var progress = new RecordingProgress();
        await new JobRunner(JobConfig.Load(folder.File("job.yaml")), progress).RunAsync();

        Assert.False(File.Exists(Pack(tracks["low.ogg"])));
        Assert.False(File.Exists(Pack(-123)));
        Assert.Equal(toneWritten, File.GetLastWriteTimeUtc(Pack(tracks["tone.flac"])));
        Assert.All(kept, path => Assert.True(File.Exists(path), path));
        Assert.Contains(progress.Messages, m => m.StartsWith("feature_packs sweep: 2 stale pack(s) deleted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_catalog_file_missing_from_disk_this_run_keeps_its_pack()
    {
        using var folder = new TempFolder();
        var library = Library(folder);
        var songs = Directory.GetFiles(library).Order(StringComparer.Ordinal)
            .Select(path => new ClementineSong(path, Title: Path.GetFileName(path), FileSizeBytes: new FileInfo(path).Length)).ToList();
        ClementineDatabaseWriter.Create(folder.File("clementine.db"), songs);
        File.WriteAllText(folder.File("job.yaml"), "catalog: {clementine: clementine.db}\noutput: out\nsegments:\n  files: all\nfeature_packs:\n  enabled: true\n");
        await Run(folder.File("job.yaml"));
        var tracks = ParquetRows.Read<TrackPath>(folder.File("out/" + TracksTable.Schema.ParquetFileName)).ToDictionary(t => Path.GetFileName(t.Path), t => t.Id!.Value);
        var lowPack = FeaturePackLayout.PathOf(folder.File("out"), tracks["low.ogg"]);
        Assert.True(File.Exists(lowPack));
        // Still in the catalog but not on disk this run (a library disk that is not mounted): not settled, so its pack stays.
        File.Delete(Path.Combine(library, "low.ogg"));

        var progress = new RecordingProgress();
        await new JobRunner(JobConfig.Load(folder.File("job.yaml")), progress).RunAsync();

        Assert.Contains(ParquetRows.Read<TrackPath>(folder.File("out/" + TracksTable.Schema.ParquetFileName)), t => t.Id == tracks["low.ogg"]);
        Assert.True(File.Exists(lowPack));
        Assert.Contains(progress.Messages, m => m.StartsWith("feature_packs sweep: 0 stale pack(s) deleted", StringComparison.Ordinal));
    }

    [Fact]
    public void A_merge_of_shards_takes_the_packs_the_shards_wrote_without_opening_audio()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("job.yaml"), $"catalog: {{folder: {Library(folder)}}}\noutput: out\nsegments:\n  files: all\nfeature_packs:\n  enabled: true\n");
        foreach (var shard in new[] { "0/2", "1/2" })
        {
            var run = SsisProcess.Run(folder.Path, "run", "job.yaml", "--shard", shard);
            Assert.True(run.Exit == 0, run.Errors);
        }
        var shardPacks = Directory.GetFiles(folder.File("out/state/shards"), "*.parquet", SearchOption.AllDirectories);
        Assert.Equal(2, shardPacks.Length);
        Assert.False(Directory.Exists(folder.File("out/feature_packs")));

        var merge = SsisProcess.Run(folder.Path, "merge", "job.yaml");
        Assert.True(merge.Exit == 0, merge.Errors);
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(folder.File("out/run.json")));
        Assert.Equal(0, summary.RootElement.GetProperty("counters").GetProperty("audio_files_opened").GetInt64());
        foreach (var pack in shardPacks)
            Assert.Equal(File.ReadAllBytes(pack), File.ReadAllBytes(folder.File("out/feature_packs/" + Path.GetFileName(pack))));
    }

    public sealed class TrackId
    {
        [JsonPropertyName("track_id")] public long? Id { get; set; }
    }

    public sealed class TrackPath
    {
        [JsonPropertyName("track_id")] public long? Id { get; set; }
        [JsonPropertyName("path")] public string Path { get; set; } = "";
    }

    [Fact]
    public void A_feature_packs_value_out_of_range_or_with_segmentation_off_is_a_config_error_at_its_key_and_line()
    {
        using var folder = new TempFolder();
        string Job(string tail) => $"catalog: {{folder: {folder.Path}}}\noutput: out\n{tail}";
        var range = Assert.Throws<ConfigException>(() => JobConfig.Parse(folder.File("a.yaml"), Job("segments:\n  files: all\nfeature_packs:\n  enabled: true\n  row_group_s: 0\n")));
        Assert.Contains("a.yaml:7:16: key 'feature_packs.row_group_s'", range.Message);
        var unsegmented = Assert.Throws<ConfigException>(() => JobConfig.Parse(folder.File("b.yaml"), Job("segments:\n  files: none\nfeature_packs:\n  enabled: true\n")));
        Assert.Contains("b.yaml:6:12: key 'feature_packs.enabled'", unsegmented.Message);
        Assert.Contains("segments.files", unsegmented.Message);
        Assert.True(JobConfig.Parse(folder.File("e.yaml"), Job("feature_packs:\n  enabled: true\n")).FeaturePackSettings.Enabled);
        var typo = Assert.Throws<ConfigException>(() => JobConfig.Parse(folder.File("c.yaml"), Job("feature_packs:\n  enable: true\n")));
        Assert.Contains("key 'feature_packs.enable'", typo.Message);
        var defaults = JobConfig.Parse(folder.File("d.yaml"), Job("segments:\n  files: all\n")).FeaturePackSettings;
        Assert.Equal(new FeaturePackOptions(Enabled: false, RowGroupSeconds: 60), defaults);
    }
}
