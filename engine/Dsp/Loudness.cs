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
        for (var c = 0; c < channels; c++)
        {
            var filter = new KWeighting(sampleRateHz);
            for (var i = 0; i < steps * stepFrames; i++)
            {
                var y = filter.Process(interleaved[i * channels + c]);
                stepEnergy[i / stepFrames] += y * y;
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
        var clipped = 0;
        foreach (var x in interleaved)
            if (Math.Abs(x) >= threshold) clipped++;
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

    /// <summary>BS.1770's pre-filter (high shelf, +4 dB above ~1.7 kHz) and RLB high-pass (~38 Hz), as two biquads.</summary>
    private sealed class KWeighting
    {
        private readonly double[] _shelfB = new double[3], _shelfA = new double[3], _passB = { 1, -2, 1 }, _passA = new double[3];
        private double _s1, _s2, _p1, _p2;

        public KWeighting(int sampleRateHz)
        {
            var f0 = 1681.974450955533;
            var gainDb = 3.999843853973347;
            var q = 0.7071752369554196;
            var k = Math.Tan(Math.PI * f0 / sampleRateHz);
            var vh = Math.Pow(10, gainDb / 20);
            var vb = Math.Pow(vh, 0.4996667741545416);
            var a0 = 1 + k / q + k * k;
            _shelfB[0] = (vh + vb * k / q + k * k) / a0;
            _shelfB[1] = 2 * (k * k - vh) / a0;
            _shelfB[2] = (vh - vb * k / q + k * k) / a0;
            _shelfA[1] = 2 * (k * k - 1) / a0;
            _shelfA[2] = (1 - k / q + k * k) / a0;

            f0 = 38.13547087602444;
            q = 0.5003270373238773;
            k = Math.Tan(Math.PI * f0 / sampleRateHz);
            _passA[1] = 2 * (k * k - 1) / (1 + k / q + k * k);
            _passA[2] = (1 - k / q + k * k) / (1 + k / q + k * k);
        }

        /// <summary>Transposed direct form II through both stages.</summary>
        public double Process(double x)
        {
            var y = _shelfB[0] * x + _s1;
            _s1 = _shelfB[1] * x - _shelfA[1] * y + _s2;
            _s2 = _shelfB[2] * x - _shelfA[2] * y;
            var z = _passB[0] * y + _p1;
            _p1 = _passB[1] * y - _passA[1] * z + _p2;
            _p2 = _passB[2] * y - _passA[2] * z;
            return z;
        }
    }
}
