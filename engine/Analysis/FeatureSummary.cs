using SSIS.Batch.Engine.Dsp;

namespace SSIS.Batch.Engine.Analysis;

/// <summary>Frame features of a mono signal summarised per track. Pure.</summary>
public sealed record FeatureStatistics(
    double RmsMean, double RmsStd, double CentroidMeanHz, double CentroidStdHz, double RolloffMeanHz, double FlatnessMean,
    double FluxMean, double FluxStd, double OnsetMean, double TempoBpm, float[] MfccMean, float[] MfccStd, float[] ChromaMean,
    float[] MelMeanDb, float[] MelStdDb, float[] FrameRms, float[][] LogMelDb);

public static class FeatureSummary
{
    /// <summary>The features rate: 22,050 Hz.</summary>
    public const int SampleRateHz = 22050;
    public const int MelBands = 64;
    public const int MfccCoefficients = 20;
    public const double WindowSeconds = 0.025;
    public const double HopSeconds = 0.010;

    /// <summary>Statistics of every frame feature of <paramref name="monoSamples"/> at <see cref="SampleRateHz"/>.</summary>
    public static FeatureStatistics Compute(ReadOnlySpan<float> monoSamples)
    {
        var spectrogram = Spectrogram.Compute(monoSamples, SampleRateHz, WindowSeconds, HopSeconds);
        var logMel = SpectralFeatures.LogMelDb(spectrogram, new MelFilterbank(SampleRateHz, spectrogram.FftSize, MelBands));
        var mfcc = SpectralFeatures.Mfcc(logMel, MfccCoefficients);
        var chroma = SpectralFeatures.Chroma(spectrogram);
        var rms = SpectralFeatures.FrameRms(monoSamples, spectrogram.WindowSamples, spectrogram.HopSamples);
        var centroid = SpectralFeatures.CentroidHz(spectrogram);
        var flux = SpectralFeatures.Flux(spectrogram);
        var onset = SpectralFeatures.OnsetStrength(logMel);
        var (mfccMean, mfccStd) = ColumnStatistics(mfcc, MfccCoefficients);
        var (melMean, melStd) = ColumnStatistics(logMel, MelBands);
        return new FeatureStatistics(
            Mean(rms), Std(rms), Mean(centroid), Std(centroid), Mean(SpectralFeatures.RolloffHz(spectrogram)),
            Mean(SpectralFeatures.Flatness(spectrogram)), Mean(flux), Std(flux), Mean(onset),
            SpectralFeatures.TempoBpm(onset, spectrogram.HopSamples / (double)SampleRateHz),
            mfccMean, mfccStd, ColumnStatistics(chroma, 12).Mean, melMean, melStd, rms, logMel);
    }

    private static double Mean(float[] values) => values.Length == 0 ? 0 : values.Average(v => (double)v);

    private static double Std(float[] values)
    {
        if (values.Length == 0) return 0;
        var mean = Mean(values);
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }

    /// <summary>Mean and standard deviation of each column of [frames][dimension].</summary>
    private static (float[] Mean, float[] Std) ColumnStatistics(float[][] frames, int dimension)
    {
        var mean = new float[dimension];
        var std = new float[dimension];
        if (frames.Length == 0) return (mean, std);
        for (var d = 0; d < dimension; d++)
        {
            double sum = 0, squares = 0;
            foreach (var frame in frames)
            {
                sum += frame[d];
                squares += (double)frame[d] * frame[d];
            }
            var m = sum / frames.Length;
            mean[d] = (float)m;
            std[d] = (float)Math.Sqrt(Math.Max(0, squares / frames.Length - m * m));
        }
        return (mean, std);
    }
}
