using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Segments;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Tests.Pipeline;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Segments;

/// <summary>`ssis run` with `segments.files: all` over a folder: every file segmented whole, kept in the state, a rerun opens none.</summary>
public class SegmentJobTests
{
    [Fact]
    public async Task A_run_segments_every_file_and_a_rerun_reads_the_segments_from_the_state()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        Directory.CreateDirectory(library);
        var music = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).First();
        Tools.Run("ffmpeg", "-v", "error", "-ss", "30", "-t", "20", "-i", music, "-c:a", "libvorbis", Path.Combine(library, "music.ogg"));
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "6", "-c:a", "flac", Path.Combine(library, "silence.flac"));
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=0.5", "-c:a", "flac", Path.Combine(library, "blip.flac"));
        File.WriteAllText(folder.File("job.yaml"), $"catalog: {{folder: {library}}}\noutput: out\nsegments:\n  files: all\n");

        var first = await new JobRunner(JobConfig.Load(folder.File("job.yaml")), new RecordingProgress()).RunAsync();
        Assert.Contains(SegmentsTable.FileName, first.Outputs);
        Assert.Contains(SegmentStage.Name, first.StageSeconds.Keys);
        var rows = ParquetCheck.Read(folder.File("out/" + SegmentsTable.FileName)).Data;
        var byFile = rows.GroupBy(r => Path.GetFileName(r.GetProperty("path").GetString()!)).ToDictionary(g => g.Key, g => g.ToList());
        // An all-silent file is one silence segment over its whole length; a 0.5 s file is too short and has none.
        var silence = Assert.Single(byFile["silence.flac"]);
        Assert.Equal(("silence", 0.0), (silence.GetProperty("label").GetString(), silence.GetProperty("start_s").GetDouble()));
        Assert.InRange(silence.GetProperty("end_s").GetDouble(), 5.9, 6.1);
        Assert.False(byFile.ContainsKey("blip.flac"));
        // The music covers its 20 s without gaps, and most of it is called music.
        var segments = byFile["music.ogg"].OrderBy(r => r.GetProperty("start_s").GetDouble()).ToList();
        Assert.Equal(0.0, segments[0].GetProperty("start_s").GetDouble());
        Assert.InRange(segments[^1].GetProperty("end_s").GetDouble(), 19.9, 20.1);
        Assert.All(segments.Zip(segments.Skip(1)), p => Assert.Equal(p.First.GetProperty("end_s").GetDouble(), p.Second.GetProperty("start_s").GetDouble(), 3));
        var musicSeconds = segments.Where(r => r.GetProperty("label").GetString() == "music").Sum(r => r.GetProperty("end_s").GetDouble() - r.GetProperty("start_s").GetDouble());
        Assert.True(musicSeconds >= 15, $"{musicSeconds:0.0} s of 20 called music");

        // The report shows the segments: time per label and each file's scene.
        var report = File.ReadAllText(folder.File("out/report.html"));
        Assert.Contains("Minutes per segment label", report);
        Assert.Matches(@"<td>silence</td><td[^>]*>100%</td><td[^>]*>0\.1</td><td><span class=""path"">[^<]*silence\.flac</span>", report);

        var rerun = await new JobRunner(JobConfig.Load(folder.File("job.yaml")), new RecordingProgress()).RunAsync();
        Assert.Equal(0, rerun.Counters.AudioFilesOpened);
        Assert.Equal(rows.Select(r => r.ToString()), ParquetCheck.Read(folder.File("out/" + SegmentsTable.FileName)).Data.Select(r => r.ToString()));
    }

    [Fact]
    public void A_segments_value_out_of_range_or_an_offset_above_the_onset_is_a_config_error_at_its_key()
    {
        using var folder = new TempFolder();
        string Job(string segments) => $"catalog: {{folder: {folder.Path}}}\noutput: out\nsegments:\n{segments}";
        var range = Assert.Throws<ConfigException>(() => JobConfig.Parse(folder.File("a.yaml"), Job("  min_speech_s: 99\n")));
        Assert.Contains("key 'segments.min_speech_s'", range.Message);
        var order = Assert.Throws<ConfigException>(() => JobConfig.Parse(folder.File("b.yaml"), Job("  speech_onset: 0.3\n  speech_offset: 0.5\n")));
        Assert.Contains("key 'segments.speech_offset'", order.Message);
        var files = Assert.Throws<ConfigException>(() => JobConfig.Parse(folder.File("c.yaml"), Job("  files: podcasts\n")));
        Assert.Contains("key 'segments.files'", files.Message);
        Assert.Equal(SegmentFiles.Speech, JobConfig.Parse(folder.File("d.yaml"), $"catalog: {{folder: {folder.Path}}}\noutput: out\n").SegmentSettings.Files);
    }
}
