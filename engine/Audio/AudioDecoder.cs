using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Audio;

/// <summary>Opens a file with libsndfile in process, or with an ffmpeg pipe when libsndfile does not know its format.</summary>
public sealed class AudioDecoder(string ffmpegExecutable = "ffmpeg", TimeSpan? ffmpegTimeout = null)
{
    private long _ffmpegProcesses;

    /// <summary>ffmpeg processes this decoder started.</summary>
    public long FfmpegProcesses => Interlocked.Read(ref _ffmpegProcesses);

    /// <summary>Opens <paramref name="path"/> at <paramref name="startSeconds"/>; <paramref name="properties"/> (from the probe) size the ffmpeg fallback.</summary>
    public IAudioSource Open(string path, AudioProperties properties, double startSeconds = 0, double? lengthSeconds = null)
    {
        if (!File.Exists(path)) throw new AudioDecodeException(ErrorCode.FileMissing, "file not found");
        SndfileSource? sndfile;
        string? reason;
        try
        {
            sndfile = SndfileSource.TryOpen(path, out reason);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var code = ErrorCodes.FromException(e);
            throw new AudioDecodeException(code == ErrorCode.IoError ? ErrorCode.FileCorrupt : code, e.Message);
        }
        if (sndfile is not null)
        {
            if (startSeconds > 0) sndfile.SeekFrame((long)Math.Round(startSeconds * sndfile.SampleRateHz));
            return sndfile;
        }
        Interlocked.Increment(ref _ffmpegProcesses);
        return FfmpegPipeSource.Open(path, properties.Channels, properties.SampleRateHz, startSeconds, lengthSeconds, ffmpegExecutable, ffmpegTimeout);
    }
}
