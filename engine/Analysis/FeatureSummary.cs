using SSIS.Batch.Engine.Dsp;

namespace SSIS.Batch.Engine.Analysis;

/// <summary>
/// Frame features of a mono signal summarised per track, and the log-mel frames <see cref="LogMelDb"/> [frames][bands] in
/// dB that the caller asked to keep, from which the analysis takes the excerpt and the spectral values.
/// </summary>
public sealed record FeatureStatistics(
    double RmsMean, double RmsStd, double CentroidMeanHz, double CentroidStdHz, double RolloffMeanHz, double FlatnessMean,
    double FluxMean, double FluxStd, double OnsetMean, double TempoBpm, float[] MfccMean, float[] MfccStd, float[] ChromaMean,
    float[] MelMeanDb, float[] MelStdDb, float[] FrameRms, float[][] LogMelDb);

/// <summary>
/// One pass over the frames of a signal: each frame's spectrum yields every feature while it is in cache, and only
/// running sums, the onset envelope (for the tempo) and the log-mel frames asked for are kept.
/// </summary>
public static class FeatureSummary
{
    /// <summary>The features rate: 22,050 Hz.</summary>
    public const int SampleRateHz = 22050;
    public const int MelBands = 64;
    public const int MfccCoefficients = 20;
    public const double WindowSeconds = 0.025;
    public const double HopSeconds = 0.010;

    private static readonly Stft Shape = new(SampleRateHz, WindowSeconds, HopSeconds);
    private static readonly MelFilterbank Mel = new(SampleRateHz, Shape.FftSize, MelBands);
    private static readonly ChromaMap ChromaBins = new(SampleRateHz, Shape.FftSize);
    private static readonly Dct Cepstrum = new(MelBands, MfccCoefficients);
    private static readonly float[] BinHz = Enumerable.Range(0, Shape.Bins).Select(k => (float)Shape.BinHz(k)).ToArray();

    /// <param name="logMelFramesKept">of the signal's frame count, the frames whose log-mel values to keep: the analysis
    /// copied all 3,000 of a 30 s crop (about 0.8 MB) where the excerpt reads 768</param>
    public static FeatureStatistics Compute(ReadOnlySpan<float> monoSamples, Func<int, Range> logMelFramesKept)
    {
        var stft = new Stft(SampleRateHz, WindowSeconds, HopSeconds);
        var frames = stft.FrameCount(monoSamples.Length);
        var (firstKept, keptCount) = logMelFramesKept(frames).GetOffsetAndLength(frames);
        var power = new float[stft.Bins];
        var scratch = new float[stft.Bins];
        var magnitude = new float[stft.Bins];
        var previousMagnitude = new float[stft.Bins];
        var logMel = new float[MelBands];
        var previousLogMel = new float[MelBands];
        var mfcc = new float[MfccCoefficients];
        var chroma = new float[12];
        var onset = new float[frames];
        var kept = new float[keptCount][];
        Stats centroid = new(1), rolloff = new(1), flatness = new(1), flux = new(1), mfccStats = new(MfccCoefficients),
            melStats = new(MelBands), chromaStats = new(12);

        for (var f = 0; f < frames; f++)
        {
            stft.Power(monoSamples, f, power);
            SpectralFeatures.LogMelDb(power, Mel, logMel);
            Cepstrum.Apply(logMel, mfcc);
            SpectralFeatures.Chroma(power, ChromaBins, chroma);
            SpectralFeatures.NormalisedMagnitude(power, magnitude);
            centroid.Add(SpectralFeatures.CentroidHz(power, BinHz));
            rolloff.Add(SpectralFeatures.RolloffHz(power, BinHz[1]));
            flatness.Add(SpectralFeatures.Flatness(power, scratch));
            if (f > 0)
            {
                flux.Add(SpectralFeatures.Flux(magnitude, previousMagnitude, scratch));
                onset[f] = SpectralFeatures.OnsetStrength(logMel, previousLogMel);
            }
            mfccStats.Add(mfcc);
            melStats.Add(logMel);
            chromaStats.Add(chroma);
            var k = f - firstKept;
            if (k >= 0 && k < keptCount) kept[k] = (float[])logMel.Clone();
            (magnitude, previousMagnitude) = (previousMagnitude, magnitude);
            (logMel, previousLogMel) = (previousLogMel, logMel);
        }
        var rms = SpectralFeatures.FrameRms(monoSamples, stft.WindowSamples, stft.HopSamples);
        var rmsStats = new Stats(1);
        foreach (var r in rms) rmsStats.Add(r);
        var onsetMean = frames > 1 ? onset.Skip(1).Average(v => (double)v) : 0;
        return new FeatureStatistics(
            rmsStats.Mean[0], rmsStats.Std[0], centroid.Mean[0], centroid.Std[0], rolloff.Mean[0], flatness.Mean[0],
            flux.Mean[0], flux.Std[0], onsetMean, SpectralFeatures.TempoBpm(onset, stft.HopSeconds),
            mfccStats.Mean, mfccStats.Std, chromaStats.Mean, melStats.Mean, melStats.Std, rms, kept);
    }

    /// <summary>Running mean and standard deviation of a vector per frame (population statistics).</summary>
    private sealed class Stats(int dimension)
    {
        private readonly double[] _sum = new double[dimension];
        private readonly double[] _squares = new double[dimension];
        private int _count;

        public void Add(float value) => Add(new ReadOnlySpan<float>(in value));

        public void Add(ReadOnlySpan<float> values)
        {
            for (var d = 0; d < _sum.Length; d++)
            {
                _sum[d] += values[d];
                _squares[d] += (double)values[d] * values[d];
            }
            _count++;
        }

        public float[] Mean => _sum.Select(s => _count == 0 ? 0f : (float)(s / _count)).ToArray();

        public float[] Std => _sum.Select((s, d) =>
        {
            if (_count == 0) return 0f;
            var mean = s / _count;
            return (float)Math.Sqrt(Math.Max(0, _squares[d] / _count - mean * mean));
        }).ToArray();
    }
}
