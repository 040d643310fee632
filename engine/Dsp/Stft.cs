using System.Numerics.Tensors;

namespace SSIS.Batch.Engine.Dsp;

/// <summary>
/// Short-time power spectra of a mono signal, one frame at a time: Hann window of <see cref="WindowSamples"/>, frame f
/// centred at sample f·<see cref="HopSamples"/> (zero-padded by half a window at both ends, as librosa does), power
/// |X[k]|² in <see cref="Bins"/> = FFT size / 2 + 1 bins.
/// </summary>
public sealed class Stft
{
    private readonly float[] _window;
    private readonly Fft _fft;
    private readonly float[] _framed;
    private readonly float[] _real;
    private readonly float[] _imaginary;

    public int SampleRateHz { get; }
    public int WindowSamples { get; }
    public int HopSamples { get; }
    public int FftSize { get; }
    public int Bins => FftSize / 2 + 1;
    public double HopSeconds => HopSamples / (double)SampleRateHz;

    public Stft(int sampleRateHz, double windowSeconds = 0.025, double hopSeconds = 0.010)
    {
        SampleRateHz = sampleRateHz;
        WindowSamples = (int)Math.Round(windowSeconds * sampleRateHz);
        HopSamples = (int)Math.Round(hopSeconds * sampleRateHz);
        FftSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)WindowSamples);
        _window = Windows.Hann(WindowSamples);
        _fft = new Fft(FftSize / 2);
        _framed = new float[FftSize];
        _real = new float[FftSize / 2];
        _imaginary = new float[FftSize / 2];
    }

    /// <summary>Hz of bin <paramref name="bin"/>.</summary>
    public double BinHz(int bin) => bin * (double)SampleRateHz / FftSize;

    /// <summary>Frames in a signal of <paramref name="samples"/>.</summary>
    public int FrameCount(int samples) => samples == 0 ? 0 : 1 + samples / HopSamples;

    /// <summary>Writes the power spectrum of frame <paramref name="frame"/> into <paramref name="power"/> (<see cref="Bins"/> values).</summary>
    public void Power(ReadOnlySpan<float> samples, int frame, Span<float> power)
    {
        var start = frame * HopSamples - WindowSamples / 2;
        if (start >= 0 && start + WindowSamples <= samples.Length)
            TensorPrimitives.Multiply(samples.Slice(start, WindowSamples), _window, _framed);
        else
            for (var i = 0; i < WindowSamples; i++)
            {
                var n = start + i;
                _framed[i] = n >= 0 && n < samples.Length ? samples[n] * _window[i] : 0f;
            }
        _fft.RealPowerSpectrum(_framed, _real, _imaginary, power);
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
