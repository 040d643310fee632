namespace SSIS.Batch.Engine.Dsp;

/// <summary>
/// Short-time power spectrum of a mono signal. Shape: [frames][fftSize/2 + 1] power bins (|X|², Hann-windowed),
/// frame f centred at sample f·hopSamples (the signal is zero-padded by half a window at both ends, as librosa does).
/// </summary>
public sealed class Spectrogram
{
    public int SampleRateHz { get; }
    public int WindowSamples { get; }
    public int HopSamples { get; }
    public int FftSize { get; }
    public float[][] Power { get; }

    public int Frames => Power.Length;
    public int Bins => FftSize / 2 + 1;

    /// <summary>Hz of bin <paramref name="bin"/>.</summary>
    public double BinHz(int bin) => bin * (double)SampleRateHz / FftSize;

    private Spectrogram(int sampleRateHz, int windowSamples, int hopSamples, int fftSize, float[][] power)
    {
        SampleRateHz = sampleRateHz;
        WindowSamples = windowSamples;
        HopSamples = hopSamples;
        FftSize = fftSize;
        Power = power;
    }

    /// <summary>The power spectrogram with windows of <paramref name="windowSeconds"/> every <paramref name="hopSeconds"/>.</summary>
    public static Spectrogram Compute(ReadOnlySpan<float> samples, int sampleRateHz, double windowSeconds = 0.025, double hopSeconds = 0.010)
    {
        var windowSamples = (int)Math.Round(windowSeconds * sampleRateHz);
        var hopSamples = (int)Math.Round(hopSeconds * sampleRateHz);
        var fftSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)windowSamples);
        var window = Windows.Hann(windowSamples);
        var fft = new Fft(fftSize / 2);
        var frames = samples.Length == 0 ? 0 : 1 + samples.Length / hopSamples;
        var power = new float[frames][];
        var framed = new float[fftSize];
        var real = new float[fftSize / 2];
        var imaginary = new float[fftSize / 2];
        var half = windowSamples / 2;
        for (var f = 0; f < frames; f++)
        {
            var start = f * hopSamples - half;
            if (start >= 0 && start + windowSamples <= samples.Length)
                System.Numerics.Tensors.TensorPrimitives.Multiply(samples.Slice(start, windowSamples), window, framed);
            else
                for (var i = 0; i < windowSamples; i++)
                {
                    var n = start + i;
                    framed[i] = n >= 0 && n < samples.Length ? samples[n] * window[i] : 0f;
                }
            power[f] = new float[fftSize / 2 + 1];
            fft.RealPowerSpectrum(framed, real, imaginary, power[f]);
        }
        return new Spectrogram(sampleRateHz, windowSamples, hopSamples, fftSize, power);
    }
}

public static class Windows
{
    /// <summary>Periodic Hann window of <paramref name="lengthSamples"/>.</summary>
    public static float[] Hann(int lengthSamples)
    {
        var window = new float[lengthSamples];
        for (var i = 0; i < lengthSamples; i++) window[i] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * i / lengthSamples));
        return window;
    }
}
