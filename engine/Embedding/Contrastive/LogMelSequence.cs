using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding.Contrastive;

/// <summary>
/// Turns the analysis's log-mel frames into the encoder's input: frames averaged in pairs, then standardised per band
/// with statistics fitted on the training tracks (kept in the checkpoint).
/// </summary>
public static class LogMelSequence
{
    public const int Bands = FeatureSummary.MelBands;

    /// <summary>[frames/2 × bands] in dB: each pair of analysis frames averaged.</summary>
    public static Matrix Pooled(float[][] logMelDb)
    {
        var frames = logMelDb.Length / ContrastiveSettings.FramePooling;
        var pooled = new Matrix(frames, Bands);
        for (var f = 0; f < frames; f++)
        {
            var row = pooled.Row(f);
            for (var k = 0; k < ContrastiveSettings.FramePooling; k++)
                Kernels.AddScaled(logMelDb[f * ContrastiveSettings.FramePooling + k], 1f / ContrastiveSettings.FramePooling, row);
        }
        return pooled;
    }

    /// <summary>Per-band mean and standard deviation over every frame of every sequence.</summary>
    public static (float[] Mean, float[] Std) BandStatistics(IReadOnlyList<Matrix> sequences)
    {
        var sum = new double[Bands];
        var square = new double[Bands];
        long frames = 0;
        foreach (var sequence in sequences)
            for (var f = 0; f < sequence.Rows; f++, frames++)
            {
                var row = sequence.Row(f);
                for (var b = 0; b < Bands; b++)
                {
                    sum[b] += row[b];
                    square[b] += (double)row[b] * row[b];
                }
            }
        var mean = sum.Select(s => (float)(s / Math.Max(1, frames))).ToArray();
        var std = square.Select((s, b) => (float)Math.Sqrt(Math.Max(1e-6, s / Math.Max(1, frames) - (double)mean[b] * mean[b]))).ToArray();
        return (mean, std);
    }

    /// <summary>
    /// Rows [start, start + length) standardised per band, after a gain (dB, added to every band) and a shift of the
    /// bands by <paramref name="bandShift"/> (edge bands repeat), plus Gaussian noise of <paramref name="noiseStd"/>.
    /// </summary>
    public static Matrix Window(Matrix pooledDb, int start, int length, float[] bandMean, float[] bandStd,
        double gainDb = 0, int bandShift = 0, double noiseStd = 0, Rng? rng = null)
    {
        var window = new Matrix(length, Bands);
        for (var f = 0; f < length; f++)
        {
            var source = pooledDb.Row(start + f);
            var row = window.Row(f);
            for (var b = 0; b < Bands; b++)
            {
                var from = Math.Clamp(b - bandShift, 0, Bands - 1);
                var noise = noiseStd > 0 ? noiseStd * rng!.NextGaussian() : 0;
                row[b] = (float)((source[from] + gainDb - bandMean[b]) / bandStd[b] + noise);
            }
        }
        return window;
    }
}
