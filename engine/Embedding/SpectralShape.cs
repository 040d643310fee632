using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>
/// The shape of each frame's mel power spectrum (dB turned back to power, normalised to sum 1): centroid and spread in
/// mel bands, flatness in dB (geometric over arithmetic mean: 0 dB for white noise, far below for a tone) and the
/// roll-off band (the number of bands below which 85 % of the power lies), each as mean and deviation over the frames.
/// </summary>
public static class SpectralShape
{
    public const int Values = 8;

    private const double RolloffShare = 0.85;
    private const double FloorPower = 1e-12;

    /// <summary>[centroid mean, deviation, spread mean, deviation, flatness mean, deviation, roll-off mean, deviation].</summary>
    public static float[] Describe(Matrix logMelDb)
    {
        Moments centroid = default, spread = default, flatness = default, rolloff = default;
        var bands = logMelDb.Cols;
        var power = new double[bands];
        for (var f = 0; f < logMelDb.Rows; f++)
        {
            var row = logMelDb.Row(f);
            double total = 0;
            for (var b = 0; b < bands; b++) total += power[b] = Math.Pow(10, row[b] / 10.0);
            double mean = 0, logSum = 0;
            for (var b = 0; b < bands; b++)
            {
                power[b] /= total;
                mean += b * power[b];
                logSum += Math.Log(power[b] + FloorPower);
            }
            double variance = 0, cumulative = 0;
            var below = 0;
            for (var b = 0; b < bands; b++)
            {
                variance += power[b] * (b - mean) * (b - mean);
                cumulative += power[b];
                if (cumulative < RolloffShare) below++;
            }
            centroid.Add(mean);
            spread.Add(Math.Sqrt(variance));
            flatness.Add(10 * Math.Log10(Math.Exp(logSum / bands) / (1.0 / bands)));
            rolloff.Add(below);
        }
        return [(float)centroid.Mean, (float)centroid.Deviation, (float)spread.Mean, (float)spread.Deviation,
            (float)flatness.Mean, (float)flatness.Deviation, (float)rolloff.Mean, (float)rolloff.Deviation];
    }
}
