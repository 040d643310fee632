using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>
/// How much of each band group's level movement falls at rhythm rates: the group's mean dB per frame, its mean removed,
/// Hann-windowed, and its power spectrum split into <see cref="Rates"/>; each value is that rate's share of the power
/// above 0.5 Hz, in dB (a beat at 2 Hz lifts 1–4 Hz; a tremolo at 6 Hz lifts 4–8 Hz; a steady drone has no preferred rate).
/// </summary>
public static class ModulationSpectrum
{
    public const int BandGroups = 4;

    /// <summary>[from, to) in Hz: beats and bars, fast rhythm and tremolo, roughness.</summary>
    public static readonly IReadOnlyList<(double FromHz, double ToHz)> Rates = [(1, 4), (4, 8), (8, 16)];

    /// <summary>Movement below this rate is the excerpt's slow drift, not rhythm, and is left out of the total.</summary>
    private const double SlowestHz = 0.5;

    private const double FloorShare = 1e-9;

    /// <summary>[share of rate 0 for groups 0..3, share of rate 1 ..., ...] in dB (0 when all the movement is at that rate).</summary>
    public static float[] Describe(Matrix logMelDb, double framesPerSecond)
    {
        var frames = logMelDb.Rows;
        var bandsPerGroup = logMelDb.Cols / BandGroups;
        var values = new float[Rates.Count * BandGroups];
        var level = new double[frames];
        for (var group = 0; group < BandGroups; group++)
        {
            for (var f = 0; f < frames; f++)
            {
                var bands = logMelDb.Row(f).Slice(group * bandsPerGroup, bandsPerGroup);
                double sum = 0;
                foreach (var db in bands) sum += db;
                level[f] = sum / bandsPerGroup;
            }
            var power = PowerSpectrum(level);
            var total = 0.0;
            var perRate = new double[Rates.Count];
            for (var bin = 0; bin < power.Length; bin++)
            {
                var hz = bin * framesPerSecond / frames;
                if (hz > SlowestHz) total += power[bin];
                for (var r = 0; r < Rates.Count; r++)
                    if (hz >= Rates[r].FromHz && hz < Rates[r].ToHz) perRate[r] += power[bin];
            }
            for (var r = 0; r < Rates.Count; r++)
                values[r * BandGroups + group] = (float)(10 * Math.Log10(perRate[r] / (total + FloorShare) + FloorShare));
        }
        return values;
    }

    /// <summary>|DFT|² of the Hann-windowed series with its mean removed, bins 0 to n/2 (a direct DFT: a few hundred frames).</summary>
    private static double[] PowerSpectrum(double[] series)
    {
        var n = series.Length;
        var mean = series.Length == 0 ? 0 : series.Average();
        var windowed = new double[n];
        for (var i = 0; i < n; i++)
            windowed[i] = (series[i] - mean) * (n > 1 ? 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (n - 1)) : 1);
        // One table of the n twiddle angles: bin k, sample i uses angle (k·i mod n).
        var cos = new double[n];
        var sin = new double[n];
        for (var j = 0; j < n; j++)
        {
            cos[j] = Math.Cos(2 * Math.PI * j / n);
            sin[j] = Math.Sin(2 * Math.PI * j / n);
        }
        var power = new double[n / 2 + 1];
        for (var k = 0; k < power.Length; k++)
        {
            double re = 0, im = 0;
            for (var i = 0; i < n; i++)
            {
                var j = (int)((long)k * i % n);
                re += windowed[i] * cos[j];
                im -= windowed[i] * sin[j];
            }
            power[k] = re * re + im * im;
        }
        return power;
    }
}
