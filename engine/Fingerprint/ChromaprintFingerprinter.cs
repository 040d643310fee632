using System.Runtime.InteropServices;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Native.Chromaprint;

namespace SSIS.Batch.Engine.Fingerprint;

/// <summary>
/// Feeds decoded audio to libchromaprint at 11,025 Hz mono, resampled the way fpcalc resamples, so the raw
/// fingerprint is byte-identical to <c>fpcalc -raw</c> for the same audio. One instance per worker.
/// </summary>
public sealed unsafe class ChromaprintFingerprinter
{
    public const int SampleRateHz = 11025;

    /// <summary>fpcalc's default <c>-length</c>: the first 120 s.</summary>
    public const double AcoustIdSeconds = 120;

    private const int BlockFrames = 16384;

    private float[] _input = [];
    private short[] _output = [];

    public static string LibraryVersion => Marshal.PtrToStringUTF8(ChromaprintNative.GetVersion()) ?? "unknown";

    /// <summary>Fingerprints at most <paramref name="maxSeconds"/> of <paramref name="source"/> from where it stands.</summary>
    public AudioFingerprint Compute(IAudioSource source, double maxSeconds)
    {
        using var context = ChromaprintHandle.Create();
        var raw = context.DangerousGetHandle();
        if (ChromaprintNative.Start(raw, SampleRateHz, 1) != 1) throw new InvalidOperationException("chromaprint_start failed.");
        using var resampler = Resampler.ToMonoShorts(source.Channels, source.SampleRateHz, SampleRateHz, chromaprintCompatible: true);
        EnsureBuffers(source.Channels, resampler.MaxOutput(BlockFrames) + 64);

        var limit = (long)(maxSeconds * SampleRateHz);
        long fed = 0;
        while (fed < limit)
        {
            var frames = source.ReadFrames(_input.AsSpan(0, BlockFrames * source.Channels));
            var produced = resampler.Convert(_input, frames, _output);
            fed += Feed(raw, produced, limit - fed);
            if (frames == 0) break;
        }
        if (ChromaprintNative.Finish(raw) != 1) throw new InvalidOperationException("chromaprint_finish failed.");
        return Read(raw, fed / (double)SampleRateHz);
    }

    /// <summary>The fingerprint of mono 16-bit samples already at 11,025 Hz (for synthetic and test signals).</summary>
    public static AudioFingerprint FromSamples(ReadOnlySpan<short> samples)
    {
        using var context = ChromaprintHandle.Create();
        var raw = context.DangerousGetHandle();
        if (ChromaprintNative.Start(raw, SampleRateHz, 1) != 1) throw new InvalidOperationException("chromaprint_start failed.");
        fixed (short* s = samples) ChromaprintNative.Feed(raw, s, samples.Length);
        ChromaprintNative.Finish(raw);
        return Read(raw, samples.Length / (double)SampleRateHz);
    }

    /// <summary>Chromaprint's simhash of raw items: similar fingerprints have hashes a few bits apart.</summary>
    public static uint Hash(ReadOnlySpan<uint> raw)
    {
        uint hash;
        fixed (uint* items = raw) ChromaprintNative.HashFingerprint(items, raw.Length, out hash);
        return hash;
    }

    /// <summary>
    /// The compressed base64 form of raw items, as <c>chromaprint_get_fingerprint</c> and fpcalc give it (the default
    /// algorithm); empty for no items.
    /// </summary>
    public static string Encode(ReadOnlySpan<uint> raw)
    {
        if (raw.IsEmpty) return "";
        IntPtr text;
        fixed (uint* items = raw)
            if (ChromaprintNative.EncodeFingerprint(items, raw.Length, ChromaprintNative.AlgorithmDefault, out text, out _, base64: 1) != 1)
                throw new InvalidOperationException("chromaprint_encode_fingerprint failed.");
        try
        {
            return Marshal.PtrToStringUTF8(text) ?? "";
        }
        finally
        {
            ChromaprintNative.Dealloc(text);
        }
    }

    private long Feed(IntPtr context, int produced, long remaining)
    {
        var count = (int)Math.Min(produced, remaining);
        if (count <= 0) return 0;
        fixed (short* samples = _output)
            if (ChromaprintNative.Feed(context, samples, count) != 1) throw new InvalidOperationException("chromaprint_feed failed.");
        return count;
    }

    private static AudioFingerprint Read(IntPtr context, double fedSeconds)
    {
        ChromaprintNative.GetRawFingerprint(context, out var rawPointer, out var size);
        uint[] items;
        try
        {
            items = new ReadOnlySpan<uint>((void*)rawPointer, size).ToArray();
        }
        finally
        {
            ChromaprintNative.Dealloc(rawPointer);
        }
        var hash = items.Length == 0 ? 0u : Hash(items);
        return new AudioFingerprint(items, hash, fedSeconds);
    }

    private void EnsureBuffers(int channels, int outputSamples)
    {
        if (_input.Length < BlockFrames * channels) _input = new float[BlockFrames * channels];
        if (_output.Length < outputSamples) _output = new short[outputSamples];
    }
}
