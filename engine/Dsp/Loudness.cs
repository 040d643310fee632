using System.Runtime.Intrinsics;

namespace SSIS.Batch.Engine.Dsp;

/// <summary>Level measurements on interleaved float frames at their own rate. Pure functions.</summary>
public static class Loudness
{
    private const double AbsoluteGateLufs = -70;
    private const double RelativeGateLu = -10;

    /// <summary>
    /// Integrated loudness per EBU R128 / ITU-R BS.1770-4, LUFS: K-weighting (the two biquads, derived for any rate as
    /// libebur128 does), 400 ms blocks every 100 ms, absolute gate −70 LUFS, relative gate −10 LU. Channels weigh 1
    /// (no surround weighting). Negative infinity for silence or audio shorter than one block.
    /// </summary>
    public static double IntegratedLufs(ReadOnlySpan<float> interleaved, int channels, int sampleRateHz)
    {
        var frames = interleaved.Length / channels;
        var blockFrames = (int)Math.Round(0.4 * sampleRateHz);
        var stepFrames = (int)Math.Round(0.1 * sampleRateHz);
        if (frames < blockFrames) return double.NegativeInfinity;

        // Squared K-weighted samples summed over channels, per 100 ms step.
        var steps = frames / stepFrames;
        var stepEnergy = new double[steps];
        var k = new KWeighting(sampleRateHz);
        for (var c = 0; c < channels; c++)
        {
            // Filter state in locals (registers), not fields: this loop runs for every sample of the crop.
            double s1 = 0, s2 = 0, p1 = 0, p2 = 0;
            var index = c;
            for (var s = 0; s < steps; s++)
            {
                double energy = 0;
                for (var i = 0; i < stepFrames; i++, index += channels)
                {
                    double x = interleaved[index];
                    var y = k.ShelfB0 * x + s1;
                    s1 = k.ShelfB1 * x - k.ShelfA1 * y + s2;
                    s2 = k.ShelfB2 * x - k.ShelfA2 * y;
                    var z = y + p1;
                    p1 = -2 * y - k.PassA1 * z + p2;
                    p2 = y - k.PassA2 * z;
                    energy += z * z;
                }
                stepEnergy[s] += energy;
            }
        }
        var stepsPerBlock = blockFrames / stepFrames;
        var blocks = new List<double>();
        for (var b = 0; b + stepsPerBlock <= steps; b++)
        {
            double sum = 0;
            for (var s = 0; s < stepsPerBlock; s++) sum += stepEnergy[b + s];
            blocks.Add(sum / (stepsPerBlock * stepFrames));
        }
        var aboveAbsolute = blocks.Where(z => ToLufs(z) > AbsoluteGateLufs).ToList();
        if (aboveAbsolute.Count == 0) return double.NegativeInfinity;
        var relativeGate = ToLufs(aboveAbsolute.Average()) + RelativeGateLu;
        var gated = aboveAbsolute.Where(z => ToLufs(z) > relativeGate).ToList();
        return gated.Count == 0 ? double.NegativeInfinity : ToLufs(gated.Average());
    }

    /// <summary>Highest absolute sample, dBFS (sample peak; negative infinity for digital silence).</summary>
    public static double SamplePeakDbfs(ReadOnlySpan<float> interleaved)
    {
        var peak = interleaved.Length == 0 ? 0 : System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(interleaved);
        return 20 * Math.Log10(Math.Abs(peak));
    }

    /// <summary>Share of samples at or beyond ±<paramref name="threshold"/> of full scale (clipped or about to be), 0..1.</summary>
    public static double ClippingRatio(ReadOnlySpan<float> interleaved, float threshold = 0.999f)
    {
        if (interleaved.IsEmpty) return 0;
        // Every sample of the crop at its own rate passes here: count eight at a time.
        var limit = Vector256.Create(threshold);
        var counts = Vector256<int>.Zero;
        var i = 0;
        for (; i + 8 <= interleaved.Length; i += 8)
            counts -= Vector256.GreaterThanOrEqual(Vector256.Abs(Vector256.Create(interleaved.Slice(i, 8))), limit).AsInt32();
        var clipped = Vector256.Sum(counts);
        for (; i < interleaved.Length; i++)
            if (Math.Abs(interleaved[i]) >= threshold) clipped++;
        return (double)clipped / interleaved.Length;
    }

    /// <summary>Share of frames whose RMS is below <paramref name="thresholdDbfs"/>, 0..1.</summary>
    public static double SilenceRatio(ReadOnlySpan<float> frameRms, double thresholdDbfs = -60)
    {
        if (frameRms.IsEmpty) return 0;
        var threshold = (float)Math.Pow(10, thresholdDbfs / 20);
        var silent = 0;
        foreach (var r in frameRms)
            if (r < threshold) silent++;
        return (double)silent / frameRms.Length;
    }

    private static double ToLufs(double meanSquare) => -0.691 + 10 * Math.Log10(meanSquare);

    /// <summary>
    /// BS.1770's pre-filter (high shelf, +4 dB above ~1.7 kHz) and RLB high-pass (~38 Hz) as two biquads, their
    /// coefficients derived for any rate as libebur128 does. The high-pass numerator is (1, −2, 1).
    /// </summary>
    private readonly struct KWeighting
    {
        public readonly double ShelfB0, ShelfB1, ShelfB2, ShelfA1, ShelfA2, PassA1, PassA2;

        public KWeighting(int sampleRateHz)
        {
            var f0 = 1681.974450955533;
            var gainDb = 3.999843853973347;
            var q = 0.7071752369554196;
            var k = Math.Tan(Math.PI * f0 / sampleRateHz);
            var vh = Math.Pow(10, gainDb / 20);
            var vb = Math.Pow(vh, 0.4996667741545416);
            var a0 = 1 + k / q + k * k;
            ShelfB0 = (vh + vb * k / q + k * k) / a0;
            ShelfB1 = 2 * (k * k - vh) / a0;
            ShelfB2 = (vh - vb * k / q + k * k) / a0;
            ShelfA1 = 2 * (k * k - 1) / a0;
            ShelfA2 = (1 - k / q + k * k) / a0;

            f0 = 38.13547087602444;
            q = 0.5003270373238773;
            k = Math.Tan(Math.PI * f0 / sampleRateHz);
            PassA1 = 2 * (k * k - 1) / (1 + k / q + k * k);
            PassA2 = (1 - k / q + k * k) / (1 + k / q + k * k);
        }
    }
}
