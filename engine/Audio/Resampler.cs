using SSIS.Batch.Engine.Native.Swresample;

namespace SSIS.Batch.Engine.Audio;

/// <summary>
/// Interleaved float frames at one rate → samples at another (mono, or the channels kept), through libswresample. With
/// <see cref="ChromaprintCompatible"/> it uses the settings fpcalc uses (filter size 16, phase shift 8, linear
/// interpolation, cutoff 0.8), which is what makes our fingerprints byte-identical to fpcalc's, and is about half the
/// cost of swresample's default filter.
/// </summary>
public sealed unsafe class Resampler : IDisposable
{
    private readonly SwrContextHandle _context;
    private readonly int _inChannels;
    private readonly int _outChannels;

    public bool ChromaprintCompatible { get; }
    public bool OutputsShorts { get; }
    public int OutRateHz { get; }

    private Resampler(int inChannels, int inRateHz, int outRateHz, bool outputsShorts, bool chromaprintCompatible, int outChannels = 1)
    {
        _inChannels = inChannels;
        _outChannels = outChannels;
        OutRateHz = outRateHz;
        OutputsShorts = outputsShorts;
        ChromaprintCompatible = chromaprintCompatible;
        SwresampleNative.ChannelLayout inLayout, outLayout;
        SwresampleNative.ChannelLayoutDefault(&inLayout, inChannels);
        SwresampleNative.ChannelLayoutDefault(&outLayout, outChannels);
        IntPtr raw = IntPtr.Zero;
        var format = outputsShorts ? SwresampleNative.SampleFormatS16 : SwresampleNative.SampleFormatFloat;
        var status = SwresampleNative.AllocSetOpts2(&raw, &outLayout, format, outRateHz, &inLayout, SwresampleNative.SampleFormatFloat, inRateHz, 0, IntPtr.Zero);
        SwresampleNative.ChannelLayoutUninit(&inLayout);
        SwresampleNative.ChannelLayoutUninit(&outLayout);
        _context = SwrContextHandle.Wrap(raw);
        if (status < 0 || raw == IntPtr.Zero)
            throw new InvalidOperationException($"swr_alloc_set_opts2 failed: {SwresampleNative.ErrorText(status)}");
        if (chromaprintCompatible)
        {
            SwresampleNative.OptSetInt(raw, "filter_size", 16, 0);
            SwresampleNative.OptSetInt(raw, "phase_shift", 8, 0);
            SwresampleNative.OptSetInt(raw, "linear_interp", 1, 0);
            SwresampleNative.OptSetDouble(raw, "cutoff", 0.8, 0);
        }
        status = SwresampleNative.Init(raw);
        if (status < 0) throw new InvalidOperationException($"swr_init failed: {SwresampleNative.ErrorText(status)}");
    }

    /// <summary>Mono 16-bit output, as Chromaprint takes it.</summary>
    public static Resampler ToMonoShorts(int inChannels, int inRateHz, int outRateHz, bool chromaprintCompatible) =>
        new(inChannels, inRateHz, outRateHz, outputsShorts: true, chromaprintCompatible);

    /// <summary>Float output, for the analysis stages (the same light filter as fpcalc's: ample for features and speech).</summary>
    public static Resampler ToFloats(int inChannels, int inRateHz, int outRateHz, int outChannels = 1) =>
        new(inChannels, inRateHz, outRateHz, outputsShorts: false, chromaprintCompatible: true, outChannels);

    /// <summary>The most output samples the next call can produce for <paramref name="inFrames"/> input frames.</summary>
    public int MaxOutput(int inFrames) => SwresampleNative.GetOutSamples(_context.DangerousGetHandle(), inFrames);

    /// <summary>Converts <paramref name="inFrames"/> interleaved frames (an empty input flushes); returns the frames written.</summary>
    public int Convert(ReadOnlySpan<float> interleaved, int inFrames, Span<short> output)
    {
        if (!OutputsShorts) throw new InvalidOperationException("This resampler outputs floats.");
        fixed (short* o = output) return Run(interleaved, inFrames, (byte*)o, output.Length);
    }

    public int Convert(ReadOnlySpan<float> interleaved, int inFrames, Span<float> output)
    {
        if (OutputsShorts) throw new InvalidOperationException("This resampler outputs 16-bit samples.");
        fixed (float* o = output) return Run(interleaved, inFrames, (byte*)o, output.Length / _outChannels);
    }

    private int Run(ReadOnlySpan<float> interleaved, int inFrames, byte* output, int outCapacity)
    {
        if (interleaved.Length < inFrames * _inChannels) throw new ArgumentException("Input holds fewer frames than stated.");
        fixed (float* i = interleaved)
        {
            var input = (byte*)i;
            var written = inFrames == 0
                ? SwresampleNative.Convert(_context.DangerousGetHandle(), &output, outCapacity, null, 0)
                : SwresampleNative.Convert(_context.DangerousGetHandle(), &output, outCapacity, &input, inFrames);
            if (written < 0) throw new InvalidOperationException($"swr_convert failed: {SwresampleNative.ErrorText(written)}");
            return written;
        }
    }

    public void Dispose() => _context.Dispose();
}
