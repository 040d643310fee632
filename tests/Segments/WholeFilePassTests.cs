using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.FeaturePacks;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Pipeline.Steps;
using SSIS.Batch.Engine.Segments;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Tests.Pipeline;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Segments;

/// <summary>
/// A file segmented whole is decoded once for its segments, its preview and its feature pack: the second rate of one
/// ffmpeg decode equals a decode of its own, and a run's previews and packs equal those made from decodes of their own.
/// </summary>
public class WholeFilePassTests
{
    /// <summary>Every sample of both rates, read through one decoder in chunks of <paramref name="chunkSamples"/>, and the error that ended it.</summary>
    private static (float[] First, float[] Second, AudioDecodeException? Error) ReadBoth(string path, int chunkSamples)
    {
        var (first, second) = (new List<float>(), new List<float>());
        try
        {
            using var decoder = WholeFileDecoder.Open(path, secondRateHz: FeaturePackLayout.SampleRateHz);
            var chunk = new float[chunkSamples];
            int read;
            while ((read = decoder.Read(chunk, s => second.AddRange(s))) > 0) first.AddRange(chunk.AsSpan(0, read));
        }
        catch (AudioDecodeException e)
        {
            return (first.ToArray(), second.ToArray(), e);
        }
        return (first.ToArray(), second.ToArray(), null);
    }

    private static (float[] Samples, AudioDecodeException? Error) ReadOne(string path, int rateHz)
    {
        var samples = new List<float>();
        try
        {
            using var decoder = WholeFileDecoder.Open(path, sampleRateHz: rateHz);
            var chunk = new float[4096];
            int read;
            while ((read = decoder.Read(chunk)) > 0) samples.AddRange(chunk.AsSpan(0, read));
        }
        catch (AudioDecodeException e)
        {
            return (samples.ToArray(), e);
        }
        return (samples.ToArray(), null);
    }

    [Fact]
    public void Two_rates_from_one_decode_equal_a_decode_at_each_rate_whole_or_up_to_the_damage()
    {
        using var folder = new TempFolder();
        var music = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).First();
        var ogg = folder.File("music.ogg");
        Tools.Run("ffmpeg", "-v", "error", "-ss", "10", "-t", "25", "-i", music, "-c:a", "libvorbis", ogg);
        var mp3 = folder.File("noise.mp3");
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anoisesrc=duration=20:color=pink:amplitude=0.3:seed=3", "-c:a", "libmp3lame", "-b:a", "128k", mp3);
        var bytes = File.ReadAllBytes(mp3);
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 4000; i++) bytes[i] = (byte)(i * 7919);
        var damaged = folder.Write("damaged.mp3", bytes);

        foreach (var (path, chunk) in new[] { (ogg, 8000), (mp3, 333) })
        {
            var both = ReadBoth(path, chunk);
            var low = ReadOne(path, SegmentFeatures.SampleRateHz);
            var high = ReadOne(path, FeaturePackLayout.SampleRateHz);
            Assert.True(low.Samples.Length > SegmentFeatures.SampleRateHz * 5, $"{path}: {low.Samples.Length} samples");
            Assert.Equal(low.Samples, both.First);
            Assert.Equal(high.Samples, both.Second);
            Assert.Null(both.Error);
        }
        // At damage ffmpeg stops and drops what its muxer held: each rate is a beginning of its own decode, and the
        // error is the same (which is why the segments step reads a damaged file again, one rate at a time).
        var damagedBoth = ReadBoth(damaged, 80000);
        var damagedLow = ReadOne(damaged, SegmentFeatures.SampleRateHz);
        var damagedHigh = ReadOne(damaged, FeaturePackLayout.SampleRateHz);
        Assert.Equal((ErrorCode.FileCorrupt, ErrorCode.FileCorrupt), (damagedLow.Error?.Code, damagedBoth.Error?.Code));
        Assert.InRange(damagedBoth.First.Length, SegmentFeatures.SampleRateHz * 5, damagedLow.Samples.Length);
        Assert.Equal(damagedLow.Samples[..damagedBoth.First.Length], damagedBoth.First);
        Assert.Equal(damagedHigh.Samples[..damagedBoth.Second.Length], damagedBoth.Second);
    }

    [Fact]
    public async Task A_run_decodes_each_file_segmented_whole_once_and_its_previews_and_packs_equal_their_own_decodes()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        Directory.CreateDirectory(library);
        var speech = folder.File("speech.wav");
        Tools.Run("espeak-ng", "-w", speech, "Welcome to the programme. Today we talk about batch analysis. Previews start at a pause. Thank you for listening.");
        Tools.Run("ffmpeg", "-v", "error", "-i", speech, "-af", "adelay=2000,apad=pad_dur=1", "-c:a", "libvorbis", Path.Combine(library, "talk.ogg"));
        var music = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).Skip(1).First();
        Tools.Run("ffmpeg", "-v", "error", "-ss", "20", "-t", "25", "-i", music, "-c:a", "flac", Path.Combine(library, "music.flac"));
        var noise = folder.File("noise.mp3");
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anoisesrc=duration=20:color=pink:amplitude=0.3:seed=3", "-c:a", "libmp3lame", "-b:a", "128k", noise);
        var bytes = File.ReadAllBytes(noise);
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 4000; i++) bytes[i] = (byte)(i * 7919);
        File.WriteAllBytes(Path.Combine(library, "damaged.mp3"), bytes);
        string Job(string output, string tail) => $"catalog: {{folder: {library}}}\noutput: {output}\nsegments:\n  files: {tail}";
        File.WriteAllText(folder.File("crop.yaml"), Job("crop", "none\n"));
        File.WriteAllText(folder.File("whole.yaml"), Job("whole", "all\nfeature_packs:\n  enabled: true\n"));

        var crop = await new JobRunner(JobConfig.Load(folder.File("crop.yaml")), new RecordingProgress()).RunAsync();
        var whole = await new JobRunner(JobConfig.Load(folder.File("whole.yaml")), new RecordingProgress()).RunAsync();

        // Segments, preview and pack of each file from one decode: three more files opened, not nine, and two more for the
        // damaged file, read again one rate at a time.
        Assert.Equal(crop.Counters.AudioFilesOpened + 3 + 2, whole.Counters.AudioFilesOpened);
        var output = folder.File("whole");
        // Parquet.Net for the ids: the JavaScript reader's JSON rounds 64-bit integers.
        var previews = ParquetRows.Read<PreviewRow>(Path.Combine(output, PreviewsTable.FileName)).ToList();
        Assert.Equal(3, previews.Count);
        using var segmenter = new FileSegmenter(SegmenterModel.Load(SegmenterModel.DefaultPath), new SegmentOptions());
        var packs = new FeaturePackStage(new FeaturePackOptions(Enabled: true), folder.File("alone"));
        foreach (var row in previews)
        {
            var path = row.Path;
            var result = StoredSegmentation.AsStored(segmenter.Segment(path), new SegmentOptions().SpeechShare);
            var alone = PreviewStep.Choose(result, PreviewBlockReader.Read(path, "ffmpeg", withSpectrum: result.Verdict.IsSpeech));
            Assert.Equal((alone.ModeName, alone.StartSeconds, alone.EndSeconds, alone.Confidence, alone.Reason),
                (row.Mode, row.StartSeconds, row.EndSeconds, row.Confidence, row.Reason));

            var input = new FeaturePackInput(row.TrackId!.Value, path);
            Assert.Equal(path.EndsWith("damaged.mp3", StringComparison.Ordinal), packs.Write(input).Error is { Code: ErrorCode.FileCorrupt });
            Assert.Equal(File.ReadAllBytes(packs.PathOf(input)), File.ReadAllBytes(FeaturePackLayout.PathOf(output, input.TrackId)));
        }
        Assert.Contains(previews, r => r.Reason.StartsWith("speech", StringComparison.Ordinal));
        Assert.Contains(previews, r => r.Reason.StartsWith("the loudest", StringComparison.Ordinal));
    }

    public sealed class PreviewRow
    {
        [JsonPropertyName("track_id")] public long? TrackId { get; set; }
        [JsonPropertyName("path")] public string Path { get; set; } = "";
        [JsonPropertyName("mode")] public string Mode { get; set; } = "";
        [JsonPropertyName("start_s")] public double? StartSeconds { get; set; }
        [JsonPropertyName("end_s")] public double? EndSeconds { get; set; }
        [JsonPropertyName("confidence")] public double? Confidence { get; set; }
        [JsonPropertyName("reason")] public string Reason { get; set; } = "";
    }
}
