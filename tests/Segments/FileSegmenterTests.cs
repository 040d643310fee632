using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Segments;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Segments;

/// <summary>Whole files through real ffmpeg and the shipped weights: bad input, streaming, and real speech and music.</summary>
public class FileSegmenterTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private static readonly Lazy<SegmenterModel> Shipped = new(() => SegmenterModel.Load(SegmenterModel.DefaultPath));

    public void Dispose() => _temp.Dispose();

    private static FileSegmenter Segmenter(SegmentOptions? options = null) => new(Shipped.Value, options ?? new SegmentOptions());

    private string Ffmpeg(string name, params string[] arguments)
    {
        var path = _temp.File(name);
        Tools.Run("ffmpeg", ["-v", "error", "-y", .. arguments, path]);
        return path;
    }

    [Fact]
    public void The_shipped_weights_load_and_give_probabilities()
    {
        var model = Shipped.Value;
        Assert.StartsWith("segmenter-", model.Version);
        Assert.Equal(SegmentFeatures.FeatureCount, model.Settings.Inputs);
        var probabilities = model.Probabilities(FileSegmenter.BlockFeatures(new float[SegmentFeatures.SampleRateHz * 2]));
        Assert.Equal(21, probabilities.Rows);
        for (var r = 0; r < probabilities.Rows; r++) Assert.Equal(1f, probabilities.Row(r).ToArray().Sum(), 4);
    }

    [Fact]
    public void One_model_shared_by_concurrent_callers_gives_each_the_probabilities_it_gives_alone()
    {
        var model = SegmenterModel.Load(SegmenterModel.DefaultPath);
        var random = new Random(7);
        var inputs = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 3000)
            .Select(_ => Enumerable.Range(0, SegmentFeatures.FeatureCount).Select(_ => (float)random.NextDouble() * 4 - 2).ToArray()).ToList()).ToList();
        var alone = inputs.Select(i => model.Probabilities(i).Data).ToList();
        var together = new float[inputs.Count * 4][];
        Parallel.For(0, together.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n => together[n] = model.Probabilities(inputs[n % inputs.Count]).Data);
        for (var n = 0; n < together.Length; n++) Assert.Equal(alone[n % inputs.Count], together[n]);
    }

    [Fact]
    public void Foreign_weights_are_refused_with_the_path()
    {
        var path = _temp.Write("not-weights.bin", "hello"u8.ToArray());
        var error = Assert.Throws<InvalidDataException>(() => SegmenterModel.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_missing_silero_model_is_refused_with_how_to_fetch_it()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new SileroStream(_temp.File("absent.onnx")));
        Assert.Contains("run.sh setup", error.Message);
    }

    [Fact]
    public void An_all_silent_file_is_one_silence_segment()
    {
        var path = Ffmpeg("silent.flac", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "12");
        var result = Segmenter().Segment(path);
        Assert.Null(result.Error);
        var only = Assert.Single(result.Segments);
        Assert.Equal(SegmentLabel.Silence, only.Label);
        Assert.Equal((0.0, 12.0), (only.StartSeconds, Math.Round(only.EndSeconds, 2)));
        Assert.False(result.Verdict.IsSpeech);
    }

    [Fact]
    public void A_half_second_file_is_too_short()
    {
        var path = Ffmpeg("short.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=0.5");
        var result = Segmenter().Segment(path);
        Assert.Equal(ErrorCode.FileTooShort, result.Error?.Code);
        Assert.Empty(result.Segments);
    }

    [Fact]
    public void A_missing_file_is_file_missing()
    {
        Assert.Equal(ErrorCode.FileMissing, Segmenter().Segment(_temp.File("nowhere.ogg")).Error?.Code);
    }

    [Fact]
    public void A_file_corrupt_in_the_middle_keeps_the_segments_before_the_damage()
    {
        var path = Ffmpeg("whole.mp3", "-f", "lavfi", "-i", "anoisesrc=duration=20:color=pink:amplitude=0.3:seed=3", "-c:a", "libmp3lame", "-b:a", "128k");
        var bytes = File.ReadAllBytes(path);
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 4000; i++) bytes[i] = (byte)(i * 7919);
        var damaged = _temp.Write("damaged.mp3", bytes);
        var result = Segmenter().Segment(damaged);
        Assert.Equal(ErrorCode.FileCorrupt, result.Error?.Code);
        Assert.NotEmpty(result.Segments);
        // The damage sits at the middle of 20 s: the segments cover the decoded half, not the whole file.
        Assert.InRange(result.Segments[^1].EndSeconds, 5, 15);
        Assert.Equal(result.DurationSeconds, result.Segments[^1].EndSeconds, 6);
    }

    [Fact]
    public void Chunk_size_does_not_change_the_segments()
    {
        var path = Ffmpeg("mixed.wav", "-f", "lavfi", "-i", "sine=frequency=330:duration=6", "-f", "lavfi", "-i", "anoisesrc=duration=5:color=white:amplitude=0.2",
            "-filter_complex", "[0][1]concat=n=2:v=0:a=1");
        var small = Segmenter(new SegmentOptions { ChunkSeconds = 1 }).Segment(path);
        var large = Segmenter(new SegmentOptions { ChunkSeconds = 30 }).Segment(path);
        Assert.Equal(large.Segments, small.Segments);
        Assert.Equal(11, large.DurationSeconds, 2);
    }

    [Fact]
    public void Streamed_features_equal_the_features_of_the_whole_signal()
    {
        var rng = new SSIS.Batch.Engine.Learning.Rng(5);
        var samples = Enumerable.Range(0, SegmentFeatures.SampleRateHz * 3 + 123).Select(i => (float)(0.1 * Math.Sin(i * 0.05) + 0.01 * rng.NextGaussian())).ToArray();
        var whole = FileSegmenter.BlockFeatures(samples);
        var streamed = new List<float[]>();
        using var silero = new SileroStream();
        var features = new SegmentFeatures(silero);
        for (var start = 0; start < samples.Length; start += 777) features.Push(samples.AsSpan(start, Math.Min(777, samples.Length - start)), streamed);
        features.Finish(streamed);
        Assert.Equal(whole.Count, streamed.Count);
        for (var b = 0; b < whole.Count; b++) Assert.Equal(whole[b], streamed[b]);
    }

    [Fact]
    public void Files_segmented_one_after_another_on_one_worker_equal_each_file_segmented_fresh()
    {
        var speech = _temp.File("speech.wav");
        Tools.Run("espeak-ng", "-w", speech, "The committee met on Tuesday to discuss the budget. The chair agreed to meet again in two weeks.");
        var track = Directory.GetFiles(Repo.PlanetBlupiMusic, "*.ogg").Order(StringComparer.Ordinal).First();
        var music = Ffmpeg("music.ogg", "-ss", "30", "-t", "20", "-i", track, "-c:a", "libvorbis");
        var noise = Ffmpeg("noise.flac", "-f", "lavfi", "-i", "anoisesrc=duration=6:color=pink:amplitude=0.3:seed=5");
        string[] files = [music, speech, noise, speech, music];

        using var worker = Segmenter();
        var inTurn = files.Select(f => worker.Segment(f)).ToList();
        var fresh = files.Select(f =>
        {
            using var alone = Segmenter();
            return alone.Segment(f);
        }).ToList();

        Assert.Equal(1, worker.SessionsOpened);
        Assert.NotEqual(fresh[0].Segments, fresh[1].Segments);
        for (var i = 0; i < files.Length; i++)
        {
            Assert.Equal(fresh[i].Segments, inTurn[i].Segments);
            Assert.Equal(fresh[i].Verdict, inTurn[i].Verdict);
        }
    }

    [Fact]
    public void Synthesized_speech_is_mostly_speech()
    {
        var path = _temp.File("speech.wav");
        Tools.Run("espeak-ng", "-v", "en-us", "-w", path,
            "The committee met on Tuesday to discuss the budget for next year. Several members asked for more time to read the report, " +
            "and the chair agreed to meet again in two weeks. Until then, the current plan stays in place.");
        var result = Segmenter().Segment(path);
        Assert.Null(result.Error);
        Assert.True(result.Verdict.IsSpeech, $"speech share {result.Verdict.Share:P0}");
        Assert.True(result.Verdict.Share >= 0.8, $"speech share {result.Verdict.Share:P0}");
    }

    [Fact]
    public void A_music_clip_is_mostly_music()
    {
        var track = Directory.GetFiles(Repo.PlanetBlupiMusic, "*.ogg").Order(StringComparer.Ordinal).First();
        var path = Ffmpeg("music.ogg", "-ss", "30", "-t", "30", "-i", track, "-c:a", "libvorbis");
        var result = Segmenter().Segment(path);
        Assert.Null(result.Error);
        Assert.False(result.Verdict.IsSpeech, $"speech share {result.Verdict.Share:P0}");
        var music = result.Segments.Where(s => s.Label == SegmentLabel.Music).Sum(s => s.DurationSeconds);
        Assert.True(music >= 0.8 * result.DurationSeconds, $"{music:0.0} s of {result.DurationSeconds:0.0} s is music");
    }
}

/// <summary>Silero in batched sections: what a caller sees does not depend on how the audio arrives.</summary>
public class SileroStreamTests
{
    [Fact]
    public void Sections_batched_past_one_full_batch_give_the_same_probabilities_however_the_audio_is_pushed()
    {
        // Longer than one batch (Streams × SectionWindows windows), ending in a partial window, so both paths run.
        var rng = new SSIS.Batch.Engine.Learning.Rng(9);
        var count = SileroStream.Streams * SileroStream.SectionWindows * SileroStream.WindowSamples + 3 * SileroStream.WindowSamples + 17;
        var samples = new float[count];
        for (var i = 0; i < count; i++) samples[i] = (float)(0.2 * Math.Sin(i * 0.031) * Math.Sin(i * 0.0007) + 0.02 * rng.NextGaussian());
        List<float> Run(int piece)
        {
            using var silero = new SileroStream();
            var probabilities = new List<float>();
            for (var start = 0; start < count; start += piece) silero.Push(samples.AsSpan(start, Math.Min(piece, count - start)), probabilities);
            silero.Finish(probabilities);
            return probabilities;
        }
        var whole = Run(count);
        Assert.Equal((count + SileroStream.WindowSamples - 1) / SileroStream.WindowSamples, whole.Count);
        Assert.Equal(whole, Run(7_777));
        Assert.All(whole, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void Speech_cut_at_other_section_boundaries_reads_as_much_speech()
    {
        // The same espeak-ng sentences, once from the file's start and once after 1.7 s of silence, cross the 4 s section
        // boundaries at other words: where the stream is cut must not change what reads as speech.
        using var temp = new TempFolder();
        var path = temp.File("speech.wav");
        Tools.Run("espeak-ng", "-v", "en-us", "-w", path,
            "The committee met on Tuesday to discuss the budget for next year. Several members asked for more time to read the report, " +
            "and the chair agreed to meet again in two weeks. Until then, the current plan stays in place.");
        var speech = WholeFileDecoder.ReadAll(path);
        var shiftWindows = 53; // 1.7 s
        var shifted = new float[shiftWindows * SileroStream.WindowSamples + speech.Length];
        speech.CopyTo(shifted, shiftWindows * SileroStream.WindowSamples);
        List<float> Probabilities(float[] samples)
        {
            using var silero = new SileroStream();
            var probabilities = new List<float>();
            silero.Push(samples, probabilities);
            silero.Finish(probabilities);
            return probabilities;
        }
        var plain = Probabilities(speech);
        var moved = Probabilities(shifted).Skip(shiftWindows).ToList();
        Assert.True(plain.Count > 3 * SileroStream.SectionWindows, $"{plain.Count} windows: the sentence must span several sections");
        double SpeechShare(List<float> p) => p.Count(v => v > 0.5f) / (double)p.Count;
        Assert.True(SpeechShare(plain) > 0.6, $"{SpeechShare(plain):P0} of the windows read as speech");
        Assert.InRange(SpeechShare(moved) - SpeechShare(plain), -0.05, 0.05);
        var differing = plain.Zip(moved).Count(p => Math.Abs(p.First - p.Second) > 0.5f);
        Assert.True(differing <= plain.Count / 50, $"{differing} of {plain.Count} windows change their verdict with the cut");
    }
}
