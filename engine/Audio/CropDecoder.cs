using System.Buffers;
using System.Diagnostics;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Audio;

/// <summary>Which part of a file the analysis reads, and which files it refuses.</summary>
/// <param name="CropSeconds">length of the centre crop; a shorter file is read whole</param>
/// <param name="MinDurationSeconds">shorter files are FILE_TOO_SHORT</param>
/// <param name="MaxDurationSeconds">longer files are FILE_TOO_LONG (skipped, not decoded)</param>
/// <param name="TimeoutSeconds">a decode taking longer is DECODE_TIMEOUT</param>
public sealed record CropSpec(double CropSeconds = 30, double MinDurationSeconds = 1.7, double MaxDurationSeconds = 900, double TimeoutSeconds = 60)
{
    /// <summary>Start and length of the crop of a file of <paramref name="durationSeconds"/>: the centre, <c>start = (duration − crop) / 2</c>.</summary>
    public (double StartSeconds, double LengthSeconds) Span(double durationSeconds)
    {
        var length = Math.Min(CropSeconds, durationSeconds);
        return ((durationSeconds - length) / 2, length);
    }
}

/// <summary>A decoded crop: interleaved float frames at the file's own rate, in a pooled buffer returned on dispose.</summary>
public sealed class DecodedCrop(float[] buffer, int frames, int channels, int sampleRateHz, double startSeconds, string decoder) : IDisposable
{
    private float[]? _buffer = buffer;

    public int Frames { get; } = frames;
    public int Channels { get; } = channels;
    public int SampleRateHz { get; } = sampleRateHz;
    public double StartSeconds { get; } = startSeconds;
    public double LengthSeconds => (double)Frames / SampleRateHz;
    public string Decoder { get; } = decoder;

    public ReadOnlySpan<float> Interleaved => (_buffer ?? throw new ObjectDisposedException(nameof(DecodedCrop))).AsSpan(0, Frames * Channels);

    /// <summary>The crop at <paramref name="rateHz"/> with its channels kept (interleaved), in a pooled buffer.</summary>
    public PooledSamples AtRate(int rateHz) => PooledSamples.Resample(Interleaved, Frames, Channels, SampleRateHz, rateHz, Channels);

    /// <summary>The crop read again as a source (for the fingerprinter), without copying it.</summary>
    public IAudioSource AsSource() => new CropSource(this);

    public void Dispose()
    {
        if (_buffer is null) return;
        AudioBuffers.Pool.Return(_buffer);
        _buffer = null;
    }

    private sealed class CropSource(DecodedCrop crop) : IAudioSource
    {
        private int _position;

        public string DecoderName => crop.Decoder;
        public int Channels => crop.Channels;
        public int SampleRateHz => crop.SampleRateHz;

        public int ReadFrames(Span<float> interleaved)
        {
            var frames = Math.Min(interleaved.Length / Channels, crop.Frames - _position);
            crop.Interleaved.Slice(_position * Channels, frames * Channels).CopyTo(interleaved);
            _position += frames;
            return frames;
        }

        public void Dispose() { }
    }
}

/// <summary>Samples (interleaved when <see cref="Channels"/> &gt; 1) in a pooled array, returned on dispose.</summary>
public sealed class PooledSamples(float[] buffer, int count, int sampleRateHz, int channels = 1) : IDisposable
{
    private const int ResampleBlockFrames = 4096;

    private float[]? _buffer = buffer;

    public int SampleRateHz { get; } = sampleRateHz;
    public int Channels { get; } = channels;
    public int Frames => count / Channels;

    public ReadOnlySpan<float> Span => (_buffer ?? throw new ObjectDisposedException(nameof(PooledSamples))).AsSpan(0, count);

    /// <summary>These samples, mono, at another rate (cheaper than resampling the original again).</summary>
    public PooledSamples Resample(int rateHz) => Resample(Span, Frames, Channels, SampleRateHz, rateHz);

    /// <summary>The channels averaged, at the same rate.</summary>
    public PooledSamples Downmix()
    {
        var output = AudioBuffers.Pool.Rent(Frames);
        var samples = Span;
        if (Channels == 2)
            // The common case, without the inner loop: every frame of the crop passes here.
            for (var f = 0; f < Frames; f++) output[f] = (samples[2 * f] + samples[2 * f + 1]) / 2;
        else
            for (var f = 0; f < Frames; f++)
            {
                var sum = 0f;
                for (var c = 0; c < Channels; c++) sum += samples[f * Channels + c];
                output[f] = sum / Channels;
            }
        return new PooledSamples(output, Frames, SampleRateHz);
    }

    public static PooledSamples Resample(ReadOnlySpan<float> interleaved, int frames, int channels, int fromRateHz, int toRateHz, int toChannels = 1)
    {
        using var resampler = Resampler.ToFloats(channels, fromRateHz, toRateHz, toChannels);
        var output = AudioBuffers.Pool.Rent((resampler.MaxOutput(frames) + toRateHz / 10) * toChannels);
        var written = 0;
        // In blocks, offering only the room a block can fill: swresample sizes its scratch to each call's input and
        // output counts, and scratch that large is mapped and unmapped by the C allocator on every call (thousands of
        // page faults a file).
        for (var start = 0; start < frames; start += ResampleBlockFrames)
        {
            var count = Math.Min(ResampleBlockFrames, frames - start);
            var room = Math.Min(output.Length / toChannels - written, resampler.MaxOutput(count));
            written += resampler.Convert(interleaved.Slice(start * channels, count * channels), count, output.AsSpan(written * toChannels, room * toChannels));
        }
        var tail = Math.Min(output.Length / toChannels - written, resampler.MaxOutput(0));
        written += resampler.Convert(ReadOnlySpan<float>.Empty, 0, output.AsSpan(written * toChannels, tail * toChannels));
        return new PooledSamples(output, written * toChannels, toRateHz, toChannels);
    }

    public void Dispose()
    {
        if (_buffer is null) return;
        AudioBuffers.Pool.Return(_buffer);
        _buffer = null;
    }
}

/// <summary>Decodes the centre crop of a file once, in process where libsndfile can, with typed errors.</summary>
public sealed class CropDecoder(AudioDecoder decoder, CropSpec spec)
{
    private const int BlockFrames = 16384;
    private const int MaxChannels = 64;
    private const int MinRateHz = 1000;
    private const int MaxRateHz = 768_000;
    private const long MaxCropSamples = 256L * 1024 * 1024;

    public CropSpec Spec => spec;

    /// <summary>Why the crop refuses a file from its probed duration alone (too long, too short), or null: nothing is opened to say so.</summary>
    public FileError? Refusal(AudioProperties properties) =>
        properties.DurationSeconds > spec.MaxDurationSeconds
            ? new FileError(ErrorCode.FileTooLong, $"{properties.DurationSeconds:0} s is over the {spec.MaxDurationSeconds:0} s limit (analysis.max_duration_s)")
        : properties.DurationSeconds < spec.MinDurationSeconds
            ? new FileError(ErrorCode.FileTooShort, $"{properties.DurationSeconds:0.00} s is under the {spec.MinDurationSeconds:0.0} s minimum")
        : null;

    public DecodedCrop Decode(string path, AudioProperties properties)
    {
        if (Refusal(properties) is { } refusal) throw new AudioDecodeException(refusal.Code, refusal.Message);
        var (start, length) = spec.Span(properties.DurationSeconds);
        var clock = Stopwatch.StartNew();
        using var source = decoder.Open(path, properties, start, length);
        if (source.Channels is < 1 or > MaxChannels || source.SampleRateHz is < MinRateHz or > MaxRateHz)
            throw new AudioDecodeException(ErrorCode.FileCorrupt, $"implausible format: {source.Channels} channels at {source.SampleRateHz} Hz");
        var wanted = (int)Math.Round(length * source.SampleRateHz);
        if ((long)wanted * source.Channels > MaxCropSamples)
            throw new AudioDecodeException(ErrorCode.FileCorrupt, $"implausible crop: {wanted} frames of {source.Channels} channels");
        var buffer = AudioBuffers.Pool.Rent(wanted * source.Channels);
        var frames = 0;
        try
        {
            while (frames < wanted)
            {
                var read = source.ReadFrames(buffer.AsSpan(frames * source.Channels, Math.Min(BlockFrames, wanted - frames) * source.Channels));
                if (read == 0) break;
                frames += read;
                if (clock.Elapsed.TotalSeconds > spec.TimeoutSeconds)
                    throw new AudioDecodeException(ErrorCode.DecodeTimeout, $"decoding took longer than {spec.TimeoutSeconds:0} s");
            }
            // The headers promised more audio than is there: the file was cut short (a rounding frame or two is fine).
            if (frames < 0.9 * wanted && wanted - frames > source.SampleRateHz)
                throw new AudioDecodeException(ErrorCode.FileCorrupt,
                    $"truncated: {frames / (double)source.SampleRateHz:0.0} s decoded of the {length:0.0} s the headers promise");
            return new DecodedCrop(buffer, frames, source.Channels, source.SampleRateHz, start, source.DecoderName);
        }
        catch
        {
            AudioBuffers.Pool.Return(buffer);
            throw;
        }
    }
}
