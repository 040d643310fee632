using System.Numerics.Tensors;

namespace SSIS.Batch.Engine.Dsp;

/// <summary>Frame-wise features from a power spectrogram. Every array is [frames] or [frames][dimension]; pure functions.</summary>
public static class SpectralFeatures
{
    private const float PowerFloor = 1e-10f;

    /// <summary>Log-mel spectrogram, dB (10·log10 of band energy, floored at −100 dB). Shape [frames][bands].</summary>
    public static float[][] LogMelDb(Spectrogram spectrogram, MelFilterbank filterbank) =>
        spectrogram.Power.Select(frame =>
        {
            var mel = filterbank.Apply(frame);
            for (var b = 0; b < mel.Length; b++) mel[b] = 10 * MathF.Log10(Math.Max(mel[b], PowerFloor));
            return mel;
        }).ToArray();

    /// <summary>MFCC: orthonormal DCT-II of each log-mel frame, first <paramref name="coefficients"/>. Shape [frames][coefficients].</summary>
    public static float[][] Mfcc(float[][] logMelDb, int coefficients = 20)
    {
        if (logMelDb.Length == 0) return [];
        var bands = logMelDb[0].Length;
        var basis = new float[coefficients][];
        for (var c = 0; c < coefficients; c++)
        {
            var scale = Math.Sqrt((c == 0 ? 1.0 : 2.0) / bands);
            basis[c] = Enumerable.Range(0, bands).Select(b => (float)(scale * Math.Cos(Math.PI * c * (b + 0.5) / bands))).ToArray();
        }
        return logMelDb.Select(frame => basis.Select(row => TensorPrimitives.Dot(row, frame)).ToArray()).ToArray();
    }

    /// <summary>Chroma: power per pitch class (C = 0 … B = 11) from 55 Hz to 5 kHz, each frame scaled to a maximum of 1. Shape [frames][12].</summary>
    public static float[][] Chroma(Spectrogram spectrogram)
    {
        var pitchClass = new int[spectrogram.Bins];
        for (var k = 0; k < pitchClass.Length; k++)
        {
            var hz = spectrogram.BinHz(k);
            pitchClass[k] = hz is < 55 or > 5000 ? -1 : (((int)Math.Round(12 * Math.Log2(hz / 440)) + 9) % 12 + 12) % 12;
        }
        return spectrogram.Power.Select(frame =>
        {
            var chroma = new float[12];
            for (var k = 0; k < frame.Length; k++)
                if (pitchClass[k] >= 0) chroma[pitchClass[k]] += frame[k];
            var max = chroma.Max();
            if (max > PowerFloor) TensorPrimitives.Divide(chroma, max, chroma);
            return chroma;
        }).ToArray();
    }

    /// <summary>Root mean square of each frame of the signal, framed like the spectrogram (centred windows). Linear amplitude.</summary>
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

    /// <summary>Spectral centroid of each frame, Hz.</summary>
    public static float[] CentroidHz(Spectrogram spectrogram) => spectrogram.Power.Select(frame =>
    {
        double weighted = 0, total = 0;
        for (var k = 0; k < frame.Length; k++)
        {
            weighted += frame[k] * spectrogram.BinHz(k);
            total += frame[k];
        }
        return total > PowerFloor ? (float)(weighted / total) : 0f;
    }).ToArray();

    /// <summary>Frequency below which <paramref name="share"/> of each frame's power lies, Hz.</summary>
    public static float[] RolloffHz(Spectrogram spectrogram, double share = 0.85) => spectrogram.Power.Select(frame =>
    {
        var target = share * TensorPrimitives.Sum(frame);
        double running = 0;
        for (var k = 0; k < frame.Length; k++)
        {
            running += frame[k];
            if (running >= target) return (float)spectrogram.BinHz(k);
        }
        return (float)spectrogram.BinHz(frame.Length - 1);
    }).ToArray();

    /// <summary>Spectral flatness: geometric over arithmetic mean of each frame's power, 0 (tonal) … 1 (white noise).</summary>
    public static float[] Flatness(Spectrogram spectrogram)
    {
        var floored = new float[spectrogram.Bins];
        return spectrogram.Power.Select(frame =>
        {
            TensorPrimitives.Max(frame, PowerFloor, floored);
            var sum = TensorPrimitives.Sum(floored);
            TensorPrimitives.Log(floored, floored);
            var logMean = TensorPrimitives.Sum(floored) / frame.Length;
            return (float)(Math.Exp(logMean) / (sum / frame.Length));
        }).ToArray();
    }

    /// <summary>Spectral flux: Euclidean norm of the rise in magnitude from the previous frame, each frame's magnitude normalised to unit sum.</summary>
    public static float[] Flux(Spectrogram spectrogram)
    {
        var flux = new float[spectrogram.Frames];
        float[]? previous = null;
        for (var f = 0; f < spectrogram.Frames; f++)
        {
            var magnitude = new float[spectrogram.Bins];
            TensorPrimitives.Sqrt(spectrogram.Power[f], magnitude);
            var sum = TensorPrimitives.Sum(magnitude);
            if (sum > PowerFloor) TensorPrimitives.Divide(magnitude, sum, magnitude);
            if (previous is not null)
            {
                double rise = 0;
                for (var k = 0; k < magnitude.Length; k++)
                {
                    var d = magnitude[k] - previous[k];
                    if (d > 0) rise += d * d;
                }
                flux[f] = (float)Math.Sqrt(rise);
            }
            previous = magnitude;
        }
        return flux;
    }

    /// <summary>Onset strength: mean over mel bands of the rise in dB from the previous frame (librosa's definition).</summary>
    public static float[] OnsetStrength(float[][] logMelDb)
    {
        var onset = new float[logMelDb.Length];
        for (var f = 1; f < logMelDb.Length; f++)
        {
            double rise = 0;
            for (var b = 0; b < logMelDb[f].Length; b++) rise += Math.Max(0, logMelDb[f][b] - logMelDb[f - 1][b]);
            onset[f] = (float)(rise / logMelDb[f].Length);
        }
        return onset;
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
