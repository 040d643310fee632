using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Segments;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Tests.Pipeline;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Segments;

/// <summary>
/// `ssis run` with `segments.files: all` over a folder of real ffmpeg- and espeak-ng-made files writes segments, a preview
/// and a scene for every file, and `ssis preview` cuts a clip without touching the library.
/// </summary>
public class SegmentOutputsRunTests
{
    private static double D(JsonElement row, string column) => row.GetProperty(column).GetDouble();

    private static string S(JsonElement row, string column) => row.GetProperty(column).GetString()!;

    [Fact]
    public async Task Every_file_gets_segments_a_preview_and_a_scene_and_ssis_preview_writes_the_clip()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        Directory.CreateDirectory(library);
        // A talk: sentences with 1 s pauses, after 2 s of silence.
        var sentences = new[] { "Welcome to the programme.", "Today we talk about batch analysis of audio libraries.", "The speech gate keeps talks out of the playlists.",
            "Previews start at a pause.", "Thank you for listening." };
        var parts = sentences.Select((s, i) =>
        {
            var wav = folder.File($"s{i}.wav");
            Tools.Run("espeak-ng", "-w", wav, s);
            return wav;
        }).ToList();
        var inputs = parts.SelectMany(p => new[] { "-i", p }).ToArray();
        var chain = string.Concat(parts.Select((_, i) => $"[{i}:a]aresample=22050,apad=pad_dur=1[p{i}];")) + string.Concat(parts.Select((_, i) => $"[p{i}]"))
                    + $"concat=n={parts.Count}:v=0:a=1,adelay=2000[out]";
        Tools.Run("ffmpeg", ["-v", "error", .. inputs, "-filter_complex", chain, "-map", "[out]", "-c:a", "libvorbis", Path.Combine(library, "talk.ogg")]);
        var music = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).Skip(1).First();
        Tools.Run("ffmpeg", "-v", "error", "-ss", "20", "-t", "45", "-i", music, "-c:a", "flac", Path.Combine(library, "music.flac"));
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", "5", "-c:a", "pcm_s16le", Path.Combine(library, "silence.wav"));
        var hashes = Directory.GetFiles(library).ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
        // The music is longer than the crop analysis takes, so it is only segmented whole.
        File.WriteAllText(folder.File("job.yaml"), $"catalog: {{folder: {library}}}\noutput: out\nanalysis:\n  max_duration_s: 40\nsegments:\n  files: all\n");

        var result = await new JobRunner(JobConfig.Load(folder.File("job.yaml")), new RecordingProgress()).RunAsync();
        Assert.Contains(PreviewsTable.FileName, result.Outputs);
        var output = folder.File("out");
        var segments = ParquetCheck.Read(Path.Combine(output, SegmentsTable.FileName)).Data.GroupBy(r => Path.GetFileName(S(r, "path")))
            .ToDictionary(g => g.Key, g => g.OrderBy(r => D(r, "start_s")).ToList());
        var previews = ParquetCheck.Read(Path.Combine(output, PreviewsTable.FileName)).Data.ToDictionary(r => Path.GetFileName(S(r, "path")));
        var analysis = ParquetCheck.Read(Path.Combine(output, AnalysisTable.FileName)).Data.ToDictionary(r => Path.GetFileName(S(r, "path")));
        string[] files = ["talk.ogg", "music.flac", "silence.wav"];
        Assert.All(files, f => Assert.True(segments.ContainsKey(f) && previews.ContainsKey(f) && analysis.ContainsKey(f), $"{f} lacks an output"));

        foreach (var file in files)
        {
            var preview = previews[file];
            var duration = D(segments[file][^1], "end_s");
            Assert.Contains(S(preview, "mode"), new[] { "smart", "intro", "fallback" });
            Assert.InRange(D(preview, "start_s"), 0, D(preview, "end_s"));
            Assert.InRange(D(preview, "end_s"), 0, duration + 1e-6);
            Assert.InRange(D(preview, "confidence"), 0, 1);
            Assert.False(string.IsNullOrWhiteSpace(S(preview, "reason")));
            var row = analysis[file];
            Assert.Equal("whole_file", S(row, "scene_source"));
            Assert.Equal(1.0, new[] { "scene_speech", "scene_music", "scene_noise", "scene_silence" }.Sum(c => D(row, c)), 6);
        }

        // The talk is speech content: its scene says so, and its preview starts where speech follows a pause of 0.2 s or more.
        var talk = analysis["talk.ogg"];
        Assert.True(talk.GetProperty("is_speech").GetBoolean());
        Assert.Equal("speech", S(talk, "scene"));
        var talkPreview = previews["talk.ogg"];
        Assert.Equal("smart", S(talkPreview, "mode"));
        var talkSegments = segments["talk.ogg"];
        Assert.Contains(talkSegments.Zip(talkSegments.Skip(1)), p => S(p.Second, "label") == "speech" && S(p.First, "label") != "speech"
            && D(p.First, "end_s") - D(p.First, "start_s") >= 0.2 && Math.Abs(D(p.Second, "start_s") - D(talkPreview, "start_s")) < 1e-6);
        // The music is music: not speech, and its preview is at most 30 s. Too long for the crop, its row has no crop columns.
        Assert.False(analysis["music.flac"].GetProperty("is_speech").GetBoolean());
        Assert.Equal(JsonValueKind.Null, analysis["music.flac"].GetProperty("crop_start_s").ValueKind);
        Assert.Equal(JsonValueKind.Null, analysis["music.flac"].GetProperty("speech_detector").ValueKind);
        Assert.Equal("music", S(analysis["music.flac"], "scene"));
        Assert.InRange(D(previews["music.flac"], "end_s") - D(previews["music.flac"], "start_s"), 1, 30 + 1e-6);
        Assert.Equal("silence", S(analysis["silence.wav"], "scene"));

        // ssis preview: the clip by track id, as long as the row says; the library is unchanged, and it refuses to write over a library file (its own or another).
        var clip = folder.File("clip.flac");
        // Track ids use all 64 bits: read through Parquet.Net, as JavaScript numbers round them.
        var trackId = ParquetRows.Read<PreviewId>(Path.Combine(output, PreviewsTable.FileName)).Single(r => r.Path!.EndsWith("talk.ogg")).TrackId!.Value.ToString();
        var (exit, stdout, stderr) = SsisProcess.Run(folder.Path, "preview", output, trackId, "--out", clip);
        Assert.True(exit == 0, stderr);
        Assert.Contains(clip, stdout);
        Assert.Equal(D(talkPreview, "end_s") - D(talkPreview, "start_s"), AudioFactory.FfprobeDuration(clip), 1);
        var refused = SsisProcess.Run(folder.Path, "preview", output, Path.Combine(library, "music.flac"), "--out", Path.Combine(library, "music.flac"));
        Assert.Equal(2, refused.Exit);
        Assert.Contains("library file", refused.Errors);
        var another = SsisProcess.Run(folder.Path, "preview", output, trackId, "--out", Path.Combine(library, "music.flac"));
        Assert.Equal(2, another.Exit);
        Assert.Contains("library file", another.Errors);
        // A link in OUT to the library is not the preview's folder: the library file behind it is not written over.
        var link = Path.Combine(output, "library-link");
        File.CreateSymbolicLink(link, library);
        var throughLink = SsisProcess.Run(folder.Path, "preview", output, trackId, "--out", Path.Combine(link, "music.flac"));
        Assert.Equal(2, throughLink.Exit);
        Assert.Contains("library file", throughLink.Errors);
        // Its own clips, in OUT/previews (the default) or in OUT, it writes, and writes again.
        for (var run = 0; run < 2; run++)
            foreach (var arguments in new[] { new[] { "preview", output, trackId }, ["preview", output, trackId, "--out", Path.Combine(output, "clip.flac")] })
            {
                var own = SsisProcess.Run(folder.Path, arguments);
                Assert.True(own.Exit == 0, own.Errors);
            }
        Assert.True(File.Exists(Path.Combine(output, "previews", trackId + ".flac")));
        Assert.All(hashes, h => Assert.Equal(h.Value, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(h.Key)))));
    }

    private sealed class PreviewId
    {
        [JsonPropertyName("track_id")] public long? TrackId { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }
    }

    [Fact]
    public void Without_a_segments_section_the_files_the_gate_flags_or_doubts_are_segmented()
    {
        using var folder = new TempFolder();
        var options = JobConfig.Parse(folder.File("job.yaml"), $"catalog: {{folder: {folder.Path}}}\noutput: out\n");
        Assert.Equal(SegmentFiles.Speech, options.SegmentSettings.Files);
        var stage = new SegmentStage(new FileSegmenter(SegmenterModel.Load(SegmenterModel.DefaultPath), new SegmentOptions()), options.SegmentSettings.Files);
        Assert.False(stage.Wants(new SegmentInput(1, "/music.ogg", CropSpeechProbability: 0.05, TooLongForCrop: false)));
        Assert.True(stage.Wants(new SegmentInput(2, "/doubt.ogg", CropSpeechProbability: SegmentStage.UnsureFrom, TooLongForCrop: false)));
        Assert.True(stage.Wants(new SegmentInput(3, "/book.mp3", CropSpeechProbability: null, TooLongForCrop: true)));
        // A crop that failed (corrupt, too short) would fail whole too; a file the analysis did not run on is segmented.
        Assert.False(stage.Wants(new SegmentInput(4, "/broken.mp3", CropSpeechProbability: null, TooLongForCrop: false, CropFailed: true)));
        Assert.True(stage.Wants(new SegmentInput(5, "/unanalysed.ogg", CropSpeechProbability: null, TooLongForCrop: false)));
    }
}
