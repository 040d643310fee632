using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Speech;
using SSIS.Batch.Tests.Support;
using Xunit.Abstractions;

namespace SSIS.Batch.Tests.Speech;

/// <summary>The speech gate on real recordings: Debian's Asterisk prompts (speech) and Wesnoth's soundtrack (music).</summary>
public class SpeechGateAccuracyTests(ITestOutputHelper output)
{
    /// <summary>
    /// Prompts of at least 2 s that hold speech. Asterisk also ships <c>silence/N.wav</c> (digital silence) and
    /// <c>tt-monkeys.wav</c> (monkeys screeching): recordings, but not of speech, so they are not speech samples.
    /// </summary>
    private static IEnumerable<string> SpeechFiles(AudioProber prober) =>
        Directory.GetFiles(Repo.AsteriskSpeech, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}silence{Path.DirectorySeparatorChar}") && !f.EndsWith("tt-monkeys.wav"))
            .Where(f => prober.Probe(f).Properties!.DurationSeconds >= 2);

    private static float[] CentreCrop(string path, AudioProber prober)
    {
        var properties = prober.Probe(path).Properties!;
        // The analysis's own path: the crop at the features rate, channels averaged, then the detector's rate.
        using var crop = new CropDecoder(new AudioDecoder(), new CropSpec()).Decode(path, properties);
        using var channels = crop.AtRate(FeatureSummary.SampleRateHz);
        using var mono = channels.Downmix();
        using var speechRate = mono.Resample(SileroSpeechDetector.RateHz);
        return speechRate.Span.ToArray();
    }

    [Fact]
    public void Silero_flags_at_least_97_percent_of_speech_and_at_most_2_percent_of_music_and_the_fallback_is_reported()
    {
        var prober = new AudioProber(new FfprobeReader());
        var speech = SpeechFiles(prober).AsParallel().AsOrdered().Select(f => CentreCrop(f, prober)).ToList();
        var music = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").AsParallel().Select(f => CentreCrop(f, prober)).ToList();
        Assert.True(speech.Count >= 200, $"only {speech.Count} speech files");
        Assert.Equal(41, music.Count);

        var model = Path.Combine(Repo.Root, "native", SpeechDetectors.SileroModelFile);
        var defaults = new SpeechOptions();
        using var silero = new SileroSpeechDetector(model, defaults.Streams, defaults.AnalysedSeconds);
        var (speechFlagged, musicFlagged) = Rates(silero, speech, music);
        var (fallbackSpeech, fallbackMusic) = Rates(new HeuristicSpeechDetector(), speech, music);
        output.WriteLine($"silero-v5 ({defaults.Streams} streams, {defaults.AnalysedSeconds} s): {speechFlagged:P1} of {speech.Count} speech files flagged, {musicFlagged:P1} of {music.Count} music files");
        output.WriteLine($"heuristic-v1 (fallback): {fallbackSpeech:P1} of speech flagged, {fallbackMusic:P1} of music");

        Assert.True(speechFlagged >= 0.97, $"Silero flagged {speechFlagged:P1} of speech");
        Assert.True(musicFlagged <= 0.02, $"Silero flagged {musicFlagged:P1} of music");
        Assert.True(fallbackSpeech >= 0.9, $"the fallback flagged {fallbackSpeech:P1} of speech");
        Assert.True(fallbackMusic <= 0.15, $"the fallback flagged {fallbackMusic:P1} of music");
    }

    private static (double Speech, double Music) Rates(ISpeechDetector detector, List<float[]> speech, List<float[]> music) =>
        (speech.Count(s => detector.Estimate(s).SpeechProbability > 0.5) / (double)speech.Count,
         music.Count(m => detector.Estimate(m).SpeechProbability > 0.5) / (double)music.Count);

    [Fact]
    public void A_detector_that_cannot_judge_any_window_throws_instead_of_answering_zero()
    {
        using var silero = new SileroSpeechDetector(Path.Combine(Repo.Root, "native", SpeechDetectors.SileroModelFile));
        Assert.Throws<SpeechDetectionException>(() => silero.Estimate(new float[100]));
        Assert.Throws<SpeechDetectionException>(() => new HeuristicSpeechDetector().Estimate(new float[1000]));
    }

    [Fact]
    public void Espeak_speech_is_flagged_and_a_synthetic_chord_is_not()
    {
        using var folder = new TempFolder();
        var wav = folder.File("speech.wav");
        Tools.Run("espeak-ng", "-w", wav, "Batch analysis of a personal audio library. The speech gate keeps podcasts and audiobooks out of the recommendations.");
        var prober = new AudioProber(new FfprobeReader());
        var chord = folder.File("chord.flac"); // C major: C4, E4, G4
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i",
            "aevalsrc=0.25*sin(2*PI*261.63*t)+0.25*sin(2*PI*329.63*t)+0.25*sin(2*PI*392*t):s=44100:d=10", chord);
        using var silero = new SileroSpeechDetector(Path.Combine(Repo.Root, "native", SpeechDetectors.SileroModelFile));
        Assert.True(silero.Estimate(CentreCrop(wav, prober)).SpeechProbability > 0.5);
        Assert.True(silero.Estimate(CentreCrop(chord, prober)).SpeechProbability < 0.1);
    }
}
