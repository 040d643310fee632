using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>
/// Onsets and loudness movement over the excerpt. Onset strength per frame is the mean rise in dB over the bands since
/// the previous frame (falls count 0); an onset is a local peak of it above its mean plus one deviation. The frame level
/// is 10·log10 of the mean band power (dB).
/// </summary>
public static class OnsetsAndDynamics
{
    public const int Values = 6;

    private const double FloorPower = 1e-12;
    private const double LowPercentile = 10, HighPercentile = 95;

    /// <summary>
    /// [onsets per second, frame level deviation (dB), level range p95 − p10 (dB), deviation of the 1 s mean levels (dB),
    /// onset strength mean, onset strength deviation (dB a frame)].
    /// </summary>
    public static float[] Describe(Matrix logMelDb, double framesPerSecond)
    {
        var frames = logMelDb.Rows;
        var bands = logMelDb.Cols;
        var level = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            double power = 0;
            foreach (var db in logMelDb.Row(f)) power += Math.Pow(10, db / 10.0);
            level[f] = 10 * Math.Log10(power / bands + FloorPower);
        }
        var strength = new double[Math.Max(0, frames - 1)];
        for (var f = 1; f < frames; f++)
        {
            ReadOnlySpan<float> previous = logMelDb.Row(f - 1), current = logMelDb.Row(f);
            double rise = 0;
            for (var b = 0; b < bands; b++) rise += Math.Max(0, current[b] - previous[b]);
            strength[f - 1] = rise / bands;
        }
        var strengthMoments = Of(strength);
        var threshold = strengthMoments.Mean + strengthMoments.Deviation;
        var onsets = 0;
        for (var i = 1; i < strength.Length - 1; i++)
            if (strength[i] > strength[i - 1] && strength[i] >= strength[i + 1] && strength[i] > threshold) onsets++;

        var framesPerSecondWhole = (int)Math.Round(framesPerSecond);
        var secondLevels = new Moments();
        for (var start = 0; start + framesPerSecondWhole <= frames; start += framesPerSecondWhole)
            secondLevels.Add(level.AsSpan(start, framesPerSecondWhole).ToArray().Average());

        return [(float)(frames == 0 ? 0 : onsets / (frames / framesPerSecond)), (float)Of(level).Deviation,
            (float)(Percentile(level, HighPercentile) - Percentile(level, LowPercentile)), (float)secondLevels.Deviation,
            (float)strengthMoments.Mean, (float)strengthMoments.Deviation];
    }

    private static Moments Of(IEnumerable<double> values)
    {
        var moments = new Moments();
        foreach (var value in values) moments.Add(value);
        return moments;
    }

    /// <summary>Linear interpolation between the closest ranks (numpy's default); 0 for no values.</summary>
    private static double Percentile(double[] values, double percent)
    {
        if (values.Length == 0) return 0;
        var sorted = values.Order().ToArray();
        var position = percent / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
