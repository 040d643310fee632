namespace SSIS.Batch.Engine.Dsp;

/// <summary>
/// Triangular mel filters (HTK mel scale, Slaney area normalisation) mapping power bins to mel bands.
/// Shape: [bands][bins].
/// </summary>
public sealed class MelFilterbank
{
    public int Bands { get; }
    public double[] CentreHz { get; }
    private readonly float[][] _weights;
    private readonly int[] _firstBin;
    private readonly int _bins;

    public MelFilterbank(int sampleRateHz, int fftSize, int bands = 64, double minHz = 0, double? maxHz = null)
    {
        Bands = bands;
        var top = maxHz ?? sampleRateHz / 2.0;
        var bins = fftSize / 2 + 1;
        _bins = bins;
        var edgesHz = Enumerable.Range(0, bands + 2)
            .Select(i => MelToHz(HzToMel(minHz) + i * (HzToMel(top) - HzToMel(minHz)) / (bands + 1))).ToArray();
        CentreHz = edgesHz[1..^1];
        // Each filter is stored only over the bins where it is non-zero.
        _weights = new float[bands][];
        _firstBin = new int[bands];
        for (var b = 0; b < bands; b++)
        {
            var (lower, centre, upper) = (edgesHz[b], edgesHz[b + 1], edgesHz[b + 2]);
            var norm = 2.0 / (upper - lower);
            var full = new float[bins];
            for (var k = 0; k < bins; k++)
            {
                var hz = k * (double)sampleRateHz / fftSize;
                var rise = (hz - lower) / (centre - lower);
                var fall = (upper - hz) / (upper - centre);
                full[k] = (float)(Math.Max(0, Math.Min(rise, fall)) * norm);
            }
            var first = Array.FindIndex(full, w => w > 0);
            var last = Array.FindLastIndex(full, w => w > 0);
            _firstBin[b] = Math.Max(0, first);
            _weights[b] = first < 0 ? [] : full[first..(last + 1)];
        }
    }

    public static double HzToMel(double hz) => 2595 * Math.Log10(1 + hz / 700);
    public static double MelToHz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);

    /// <summary>Mel band energies of one power spectrum frame into <paramref name="mel"/> (<see cref="Bands"/> values).</summary>
    public unsafe void Apply(ReadOnlySpan<float> power, Span<float> mel)
    {
        if (power.Length < _bins || mel.Length < Bands) throw new ArgumentException($"The filterbank maps {_bins} bins to {Bands} bands.");
        // Filters span ~4–60 bins: a plain loop beats a vectorised call's set-up at these lengths (pointers: it runs for
        // every band of every frame).
        fixed (float* p = power, m = mel)
            for (var b = 0; b < Bands; b++)
            {
                var weights = _weights[b];
                var bins = p + _firstBin[b];
                var sum = 0f;
                fixed (float* w = weights)
                    for (var k = 0; k < weights.Length; k++) sum += w[k] * bins[k];
                m[b] = sum;
            }
    }
}
