using SSIS.Batch.Engine.Dsp;

namespace SSIS.Batch.Engine.Speech;

/// <summary>
/// A managed speech/music detector for when ONNX Runtime is unavailable (or the job asks for it), from the seed
/// research's cues: speech carries strong energy modulation at the syllable rate (~4 Hz), alternates loud and quiet
/// frames (many frames far below the mean energy), and its spectrum changes abruptly (high variance of spectral flux).
/// Each 1 s window gets a vote; speech probability = share of windows voted speech.
/// </summary>
public sealed class HeuristicSpeechDetector : ISpeechDetector
{
    public const int RateHz = 16000;
    private const double HopSeconds = 0.010;
    private const int WindowFrames = 100;

    public string Name => "heuristic-v1";
    public int SampleRateHz => RateHz;

    public SpeechEstimate Estimate(ReadOnlySpan<float> monoSamples)
    {
        var stft = new Stft(RateHz, 0.025, HopSeconds);
        var frames = stft.FrameCount(monoSamples.Length);
        if (frames < WindowFrames) throw new SpeechDetectionException("less than one second of audio");
        var rms = SpectralFeatures.FrameRms(monoSamples, stft.WindowSamples, stft.HopSamples);
        var flux = new float[frames];
        var power = new float[stft.Bins];
        var magnitude = new float[stft.Bins];
        var previous = new float[stft.Bins];
        var scratch = new float[stft.Bins];
        for (var f = 0; f < frames; f++)
        {
            stft.Power(monoSamples, f, power);
            SpectralFeatures.NormalisedMagnitude(power, magnitude);
            if (f > 0) flux[f] = SpectralFeatures.Flux(magnitude, previous, scratch);
            (magnitude, previous) = (previous, magnitude);
        }
        int speech = 0, windows = 0;
        for (var start = 0; start + WindowFrames <= frames; start += WindowFrames / 2)
        {
            var energy = rms.AsSpan(start, WindowFrames);
            var meanEnergy = Mean(energy);
            if (meanEnergy < 1e-4) continue; // silence says nothing
            windows++;
            var score = 2.5 * (ModulationShare(energy) - 0.25) + 3.0 * (LowEnergyRatio(energy, meanEnergy) - 0.25)
                        + 40 * (Variance(flux.AsSpan(start, WindowFrames)) - 0.003);
            if (score > 0) speech++;
        }
        if (windows == 0) return new SpeechEstimate(0, 0, Name);
        return new SpeechEstimate((double)speech / windows, windows, Name);
    }

    /// <summary>Share of the energy envelope's modulation power that lies between 2 and 8 Hz (frame rate 100 Hz).</summary>
    internal static double ModulationShare(ReadOnlySpan<float> envelope)
    {
        var mean = Mean(envelope);
        double band = 0, total = 0;
        for (var k = 1; k <= envelope.Length / 2; k++)
        {
            double re = 0, im = 0;
            for (var n = 0; n < envelope.Length; n++)
            {
                var phase = 2 * Math.PI * k * n / envelope.Length;
                re += (envelope[n] - mean) * Math.Cos(phase);
                im -= (envelope[n] - mean) * Math.Sin(phase);
            }
            var power = re * re + im * im;
            var hz = k / (envelope.Length * HopSeconds);
            total += power;
            if (hz is >= 2 and <= 8) band += power;
        }
        return total > 0 ? band / total : 0;
    }

    /// <summary>Share of frames whose energy is below half the window's mean.</summary>
    internal static double LowEnergyRatio(ReadOnlySpan<float> energy, double meanEnergy)
    {
        var low = 0;
        foreach (var e in energy)
            if (e < 0.5 * meanEnergy) low++;
        return (double)low / energy.Length;
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum / values.Length;
    }

    private static double Variance(ReadOnlySpan<float> values)
    {
        var mean = Mean(values);
        double sum = 0;
        foreach (var v in values) sum += (v - mean) * (v - mean);
        return sum / values.Length;
    }
}
