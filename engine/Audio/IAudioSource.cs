using SSIS.Batch.Engine.Errors;

namespace SSIS.Batch.Engine.Audio;

/// <summary>Decoded audio, read as interleaved float frames at the file's own rate and channel count.</summary>
public interface IAudioSource : IDisposable
{
    /// <summary>Which decoder serves the file (libsndfile, ffmpeg).</summary>
    string DecoderName { get; }

    int Channels { get; }

    int SampleRateHz { get; }

    /// <summary>Fills <paramref name="interleaved"/> with whole frames; returns the frames read, 0 at the end.</summary>
    int ReadFrames(Span<float> interleaved);
}

/// <summary>A file could not be decoded; <see cref="Code"/> says why.</summary>
public sealed class AudioDecodeException(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Code { get; } = code;
}
