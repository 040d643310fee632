using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Segments;
using SSIS.Batch.Engine.Speech;
using SSIS.Batch.Tests.Support;
using Xunit.Abstractions;

namespace SSIS.Batch.Tests.Speech;

/// <summary>
/// The crop gate by the whole-file segmenter (the default <c>speech.detector</c>): on real recordings, on a song with a
/// spoken introduction, and in agreement with the same file segmented whole.
/// </summary>
public class SegmenterGateTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();
    private static readonly Lazy<SegmenterModel> Shipped = new(() => SegmenterModel.Load(SegmenterModel.DefaultPath));
    private static readonly AudioProber Prober = new(new FfprobeReader());

    public void Dispose() => _temp.Dispose();

    private static FileSegmenter Segmenter() => new(Shipped.Value, new SegmentOptions());

    private static SegmenterSpeechDetector Gate() => new(Segmenter(), new SpeechOptions().SegmentedSeconds);

    /// <summary>The analysis's own path to the gate: the centre crop at the features rate, channels averaged, then 8 kHz.</summary>
    private static float[] CentreCrop(string path)
    {
        using var crop = new CropDecoder(new AudioDecoder(), new CropSpec()).Decode(path, Prober.Probe(path).Properties!);
        using var channels = crop.AtRate(FeatureSummary.SampleRateHz);
        using var mono = channels.Downmix();
        using var gateRate = mono.Resample(SegmentFeatures.SampleRateHz);
        return gateRate.Span.ToArray();
    }

    /// <summary>One crop judged by a fresh gate, disposed after.</summary>
    private static SpeechEstimate Judge(float[] crop)
    {
        using var gate = Gate();
        return gate.Estimate(crop);
    }

    private static bool IsSpeech(SpeechEstimate estimate) => estimate.SpeechProbability >= new SegmentOptions().SpeechShare;

    [Fact]
    public void The_segmenter_gate_flags_at_least_97_percent_of_recorded_speech_and_at_most_2_percent_of_music()
    {
        var speech = Directory.GetFiles(Repo.AsteriskSpeech, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}silence{Path.DirectorySeparatorChar}") && !f.EndsWith("tt-monkeys.wav"))
            .Where(f => Prober.Probe(f).Properties!.DurationSeconds >= 2).ToList();
        var music = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).ToList();
        Assert.True(speech.Count >= 200, $"only {speech.Count} speech files");

        var speechFlags = speech.AsParallel().Select(f => IsSpeech(Judge(CentreCrop(f)))).ToList();
        var musicCrops = music.AsParallel().AsOrdered().Select(CentreCrop).ToList();
        var musicEstimates = musicCrops.AsParallel().AsOrdered().Select(Judge).ToList();
        var speechRate = speechFlags.Count(f => f) / (double)speechFlags.Count;
        var musicRate = musicEstimates.Count(IsSpeech) / (double)musicEstimates.Count;
        output.WriteLine($"segmenter gate: {speechRate:P1} of {speech.Count} speech files flagged, {musicRate:P1} of {music.Count} music files; " +
                         $"highest music share {musicEstimates.Max(e => e.SpeechProbability):0.00}");
        Assert.True(speechRate >= 0.97, $"the segmenter gate flagged {speechRate:P1} of speech");
        Assert.True(musicRate <= 0.02, $"the segmenter gate flagged {musicRate:P1} of music");
        // Every estimate says what it segmented: the label seconds cover the crop's centre 10 s (the whole of a shorter crop).
        Assert.All(musicCrops.Zip(musicEstimates), p =>
            Assert.Equal(Math.Min(new SpeechOptions().SegmentedSeconds!.Value, p.First.Length / (double)SegmentFeatures.SampleRateHz), p.Second.LabelSeconds!.Sum(), 1));
    }

    [Fact]
    public void A_song_with_a_spoken_introduction_stays_music_whole_and_by_its_crop_and_speech_is_speech_both_ways()
    {
        var intro = _temp.File("intro.wav");
        Tools.Run("espeak-ng", "-w", intro, "Hello and welcome. This is the song of the evening.");
        var music = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).Skip(3).First();
        var song = _temp.File("song.flac");
        Tools.Run("ffmpeg", "-v", "error", "-i", intro, "-ss", "20", "-t", "60", "-i", music, "-filter_complex",
            "[0:a]aresample=44100,aformat=channel_layouts=stereo[a];[1:a]aresample=44100,aformat=channel_layouts=stereo[b];[a][b]concat=n=2:v=0:a=1", song);
        var talk = _temp.File("talk.flac");
        Tools.Run("ffmpeg", "-v", "error", "-i", intro, "-i", intro, "-i", intro, "-i", intro, "-filter_complex", "concat=n=4:v=0:a=1", "-ar", "44100", talk);

        var songWhole = Segmenter().Segment(song);
        var songCrop = Judge(CentreCrop(song));
        output.WriteLine($"song: whole-file speech share {songWhole.Verdict.Share:0.00}, crop {songCrop.SpeechProbability:0.00}");
        Assert.Null(songWhole.Error);
        Assert.Contains(songWhole.Segments, s => s.Label == SegmentLabel.Music);
        Assert.False(songWhole.Verdict.IsSpeech);
        Assert.False(IsSpeech(songCrop));

        var talkWhole = Segmenter().Segment(talk);
        var talkCrop = Judge(CentreCrop(talk));
        output.WriteLine($"talk: whole-file speech share {talkWhole.Verdict.Share:0.00}, crop {talkCrop.SpeechProbability:0.00}");
        Assert.True(talkWhole.Verdict.IsSpeech);
        Assert.True(IsSpeech(talkCrop));
    }

    [Fact]
    public void A_gate_judging_crop_after_crop_on_one_silero_session_answers_as_a_fresh_gate_for_each()
    {
        var talk = _temp.File("talk.wav");
        Tools.Run("espeak-ng", "-w", talk, "The quick brown fox jumps over the lazy dog. Then it sleeps in the sun for a while.");
        var music = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).First();
        var crops = new[] { CentreCrop(music), CentreCrop(talk), CentreCrop(music) };
        using var reused = Gate();
        var again = crops.Select(c => reused.Estimate(c)).ToList();
        var fresh = crops.Select(Judge).ToList();
        Assert.NotEqual(fresh[0].SpeechProbability, fresh[1].SpeechProbability);
        Assert.All(again.Zip(fresh), p =>
        {
            Assert.Equal(p.Second.SpeechProbability, p.First.SpeechProbability);
            Assert.Equal(p.Second.LabelSeconds, p.First.LabelSeconds);
        });
    }

    [Fact]
    public void Less_than_one_block_of_audio_is_refused_instead_of_answering_zero()
    {
        Assert.Throws<SpeechDetectionException>(() => Judge(new float[100]));
    }

    [Fact]
    public void Workers_judging_at_once_share_one_network_and_answer_as_one_worker_judging_in_turn()
    {
        var talk = _temp.File("talk.wav");
        Tools.Run("espeak-ng", "-w", talk, "The quick brown fox jumps over the lazy dog. Then it sleeps in the sun for a while, and wakes at noon.");
        var music = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).Take(3).Select(CentreCrop);
        var crops = music.Append(CentreCrop(talk)).ToArray();
        var (factory, _) = SpeechDetectors.Choose(new SpeechOptions(), new SegmentOptions(), out var fallback);
        Assert.Null(fallback);

        var serial = (SegmenterSpeechDetector)factory();
        var inTurn = crops.Select(c => serial.Estimate(c)).ToArray();
        const int workers = 4, rounds = 3;
        var detectors = Enumerable.Range(0, workers).Select(_ => (SegmenterSpeechDetector)factory()).ToArray();
        var atOnce = new SpeechEstimate[workers * rounds * crops.Length];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            for (var n = 0; n < rounds * crops.Length; n++)
                atOnce[w * rounds * crops.Length + n] = detectors[w].Estimate(crops[(n + w) % crops.Length]);
        });

        Assert.All(detectors, d => Assert.Same(serial.Model, d.Model));
        Assert.Contains(inTurn, e => IsSpeech(e));
        Assert.Contains(inTurn, e => !IsSpeech(e));
        for (var i = 0; i < atOnce.Length; i++)
        {
            var (w, n) = (i / (rounds * crops.Length), i % (rounds * crops.Length));
            var expected = inTurn[(n + w) % crops.Length];
            Assert.Equal(expected.SpeechProbability, atOnce[i].SpeechProbability);
            Assert.Equal(expected.LabelSeconds, atOnce[i].LabelSeconds);
        }
        foreach (var d in detectors.Append(serial)) d.Dispose();
    }

    [Fact]
    public void The_job_gets_the_segmenter_by_default_its_signature_names_the_weights_and_parameters()
    {
        var (factory, signature) = SpeechDetectors.Choose(new SpeechOptions(), new SegmentOptions(), out var fallback);
        Assert.Null(fallback);
        Assert.IsType<SegmenterSpeechDetector>(factory());
        Assert.StartsWith(Shipped.Value.Version + "/segmented_s=10/", signature);
        var (_, other) = SpeechDetectors.Choose(new SpeechOptions(), new SegmentOptions { SpeechShare = 0.6 }, out _);
        Assert.NotEqual(signature, other);
    }
}
