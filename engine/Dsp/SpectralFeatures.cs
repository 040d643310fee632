using System.Numerics.Tensors;

namespace SSIS.Batch.Engine.Dsp;

/// <summary>
/// Features of one frame, computed from its power spectrum (bins 0 … FFT/2) or its log-mel bands. Pure functions over
/// spans; the caller owns every buffer, so a whole crop is analysed frame by frame without materialising a spectrogram.
/// </summary>
public static class SpectralFeatures
{
    private const float PowerFloor = 1e-10f;

    /// <summary>Log-mel energies, dB (10·log10 of band energy, floored at −100 dB).</summary>
    public static void LogMelDb(ReadOnlySpan<float> power, MelFilterbank filterbank, Span<float> logMelDb)
    {
        filterbank.Apply(power, logMelDb);
        TensorPrimitives.Max(logMelDb, PowerFloor, logMelDb);
        TensorPrimitives.Log10(logMelDb, logMelDb);
        TensorPrimitives.Multiply(logMelDb, 10f, logMelDb);
    }

    /// <summary>Power per pitch class (C = 0 … B = 11) from 55 Hz to 5 kHz, scaled to a maximum of 1.</summary>
    public static unsafe void Chroma(ReadOnlySpan<float> power, ChromaMap map, Span<float> chroma)
    {
        if (power.Length <= map.LastBin || chroma.Length < 12) throw new ArgumentException($"Chroma needs {map.LastBin + 1} bins and 12 classes.");
        chroma.Clear();
        fixed (float* p = power, c = chroma)
        fixed (int* pitchClass = map.PitchClass)
            for (var k = map.FirstBin; k <= map.LastBin; k++) c[pitchClass[k]] += p[k];
        var max = TensorPrimitives.Max(chroma);
        if (max > PowerFloor) TensorPrimitives.Divide(chroma, max, chroma);
    }

    /// <summary>Spectral centroid, Hz (0 for a silent frame). <paramref name="binHz"/> holds each bin's frequency.</summary>
    public static float CentroidHz(ReadOnlySpan<float> power, ReadOnlySpan<float> binHz)
    {
        var total = TensorPrimitives.Sum(power);
        return total > PowerFloor ? TensorPrimitives.Dot(power, binHz) / total : 0f;
    }

    /// <summary>Frequency below which <paramref name="share"/> of the frame's power lies, Hz.</summary>
    public static float RolloffHz(ReadOnlySpan<float> power, double binWidthHz, double share = 0.85)
    {
        var target = share * TensorPrimitives.Sum(power);
        double running = 0;
        for (var k = 0; k < power.Length; k++)
        {
            running += power[k];
            if (running >= target) return (float)(k * binWidthHz);
        }
        return (float)((power.Length - 1) * binWidthHz);
    }

    /// <summary>Spectral flatness: geometric over arithmetic mean of the power, 0 (tonal) … 1 (white noise).</summary>
    public static float Flatness(ReadOnlySpan<float> power, Span<float> scratch)
    {
        TensorPrimitives.Max(power, PowerFloor, scratch);
        var mean = TensorPrimitives.Sum(scratch) / power.Length;
        TensorPrimitives.Log(scratch, scratch);
        return (float)(Math.Exp(TensorPrimitives.Sum(scratch) / power.Length) / mean);
    }

    /// <summary>The frame's magnitude spectrum normalised to unit sum (the input of <see cref="Flux"/>).</summary>
    public static void NormalisedMagnitude(ReadOnlySpan<float> power, Span<float> magnitude)
    {
        TensorPrimitives.Sqrt(power, magnitude);
        var sum = TensorPrimitives.Sum(magnitude);
        if (sum > PowerFloor) TensorPrimitives.Divide(magnitude, sum, magnitude);
    }

    /// <summary>Spectral flux: Euclidean norm of the rise in normalised magnitude from the previous frame.</summary>
    public static float Flux(ReadOnlySpan<float> magnitude, ReadOnlySpan<float> previousMagnitude, Span<float> scratch)
    {
        TensorPrimitives.Subtract(magnitude, previousMagnitude, scratch);
        TensorPrimitives.Max(scratch, 0f, scratch);
        return MathF.Sqrt(TensorPrimitives.Dot(scratch, scratch));
    }

    /// <summary>Onset strength: mean over mel bands of the rise in dB from the previous frame (librosa's definition).</summary>
    public static float OnsetStrength(ReadOnlySpan<float> logMelDb, ReadOnlySpan<float> previousLogMelDb)
    {
        double rise = 0;
        for (var b = 0; b < logMelDb.Length; b++) rise += Math.Max(0, logMelDb[b] - previousLogMelDb[b]);
        return (float)(rise / logMelDb.Length);
    }

    /// <summary>Root mean square of each frame of the signal, framed like <see cref="Stft"/> (centred windows). Linear amplitude.</summary>
    public static float[] FrameRms(ReadOnlySpan<float> samples, int windowSamples, int hopSamples)
    {
        var frames = samples.Length == 0 ? 0 : 1 + samples.Length / hopSamples;
        var rms = new float[frames];
        for (var f = 0; f < frames; f++)
        {
            var start = Math.Max(0, f * hopSamples - windowSamples / 2);
            var end = Math.Min(samples.Length, f * hopSamples - windowSamples / 2 + windowSamples);
            if (end <= start) continue;
            var span = samples[start..end];
            rms[f] = MathF.Sqrt(TensorPrimitives.Dot(span, span) / span.Length);
        }
        return rms;
    }

    /// <summary>
    /// Tempo, beats per minute: the autocorrelation peak of the onset envelope between <paramref name="minBpm"/> and
    /// <paramref name="maxBpm"/>, weighted by a log-normal prior around 120 BPM (one octave wide) and refined by a
    /// parabola through the peak. 0 when the envelope is flat.
    /// </summary>
    public static double TempoBpm(ReadOnlySpan<float> onsetStrength, double hopSeconds, double minBpm = 60, double maxBpm = 200)
    {
        var mean = onsetStrength.Length == 0 ? 0 : TensorPrimitives.Sum(onsetStrength) / onsetStrength.Length;
        var centred = new float[onsetStrength.Length];
        TensorPrimitives.Subtract(onsetStrength, mean, centred);
        var minLag = (int)Math.Floor(60 / (maxBpm * hopSeconds));
        var maxLag = Math.Min(centred.Length - 1, (int)Math.Ceiling(60 / (minBpm * hopSeconds)));
        if (maxLag <= minLag + 1) return 0;
        var correlation = new double[maxLag + 2];
        for (var lag = Math.Max(1, minLag - 1); lag <= maxLag + 1 && lag < centred.Length; lag++)
            correlation[lag] = TensorPrimitives.Dot(centred.AsSpan(0, centred.Length - lag), centred.AsSpan(lag)) / (centred.Length - lag);
        var best = -1;
        var bestScore = double.NegativeInfinity;
        for (var lag = Math.Max(minLag, 2); lag <= maxLag; lag++)
        {
            var bpm = 60 / (lag * hopSeconds);
            var prior = Math.Exp(-0.5 * Math.Pow(Math.Log2(bpm / 120), 2));
            var score = correlation[lag] * prior;
            if (score > bestScore)
            {
                bestScore = score;
                best = lag;
            }
        }
        if (best < 0 || correlation[best] <= 0) return 0;
        var (left, centre, right) = (correlation[best - 1], correlation[best], correlation[best + 1]);
        var denominator = left - 2 * centre + right;
        var refined = best + (denominator < 0 ? 0.5 * (left - right) / denominator : 0);
        return 60 / (refined * hopSeconds);
    }
}

/// <summary>Pitch class (C = 0 … B = 11) of each FFT bin between 55 Hz and 5 kHz.</summary>
public sealed class ChromaMap
{
    public int[] PitchClass { get; }
    public int FirstBin { get; }
    public int LastBin { get; }

    public ChromaMap(int sampleRateHz, int fftSize)
    {
        var binWidthHz = sampleRateHz / (double)fftSize;
        FirstBin = (int)Math.Ceiling(55 / binWidthHz);
        LastBin = Math.Min(fftSize / 2, (int)Math.Floor(5000 / binWidthHz));
        PitchClass = new int[fftSize / 2 + 1];
        for (var k = FirstBin; k <= LastBin; k++)
            PitchClass[k] = (((int)Math.Round(12 * Math.Log2(k * binWidthHz / 440)) + 9) % 12 + 12) % 12;
    }
}

/// <summary>The orthonormal DCT-II that turns log-mel bands into cepstral coefficients (MFCC).</summary>
public sealed class Dct
{
    private readonly float[][] _basis;

    public Dct(int bands, int coefficients)
    {
        _basis = new float[coefficients][];
        for (var c = 0; c < coefficients; c++)
        {
            var scale = Math.Sqrt((c == 0 ? 1.0 : 2.0) / bands);
            _basis[c] = Enumerable.Range(0, bands).Select(b => (float)(scale * Math.Cos(Math.PI * c * (b + 0.5) / bands))).ToArray();
        }
    }

    /// <summary>MFCCs of one log-mel frame into <paramref name="coefficients"/>.</summary>
    public void Apply(ReadOnlySpan<float> logMelDb, Span<float> coefficients)
    {
        for (var c = 0; c < _basis.Length; c++) coefficients[c] = TensorPrimitives.Dot(_basis[c], logMelDb);
    }
}
