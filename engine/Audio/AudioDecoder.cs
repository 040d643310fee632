using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Audio;

/// <summary>Opens a file with libsndfile in process, or with an ffmpeg pipe when libsndfile does not know its format.</summary>
public sealed class AudioDecoder(string ffmpegExecutable = "ffmpeg", TimeSpan? ffmpegTimeout = null)
{
    /// <summary>How long opening a file, or an ffmpeg decode, may take when the job does not say (analysis.timeout_s).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private long _ffmpegProcesses;

    /// <summary>ffmpeg processes this decoder started.</summary>
    public long FfmpegProcesses => Interlocked.Read(ref _ffmpegProcesses);

    /// <summary>Opens <paramref name="path"/> at <paramref name="startSeconds"/>; <paramref name="properties"/> (from the probe) size the ffmpeg fallback.</summary>
    public IAudioSource Open(string path, AudioProperties properties, double startSeconds = 0, double? lengthSeconds = null)
    {
        if (!File.Exists(path)) throw new AudioDecodeException(ErrorCode.FileMissing, "file not found");
        var deadline = ffmpegTimeout ?? DefaultTimeout;
        SndfileSource? sndfile;
        try
        {
            sndfile = FileDeadline.Run(() => OpenInProcess(path, startSeconds), deadline);
        }
        catch (TimeoutException)
        {
            throw new AudioDecodeException(ErrorCode.DecodeTimeout, $"opening the file took longer than {deadline.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var code = ErrorCodes.FromException(e);
            throw new AudioDecodeException(code == ErrorCode.IoError ? ErrorCode.FileCorrupt : code, e.Message);
        }
        if (sndfile is not null) return sndfile;
        Interlocked.Increment(ref _ffmpegProcesses);
        return FfmpegPipeSource.Open(path, properties.Channels, properties.SampleRateHz, startSeconds, lengthSeconds, ffmpegExecutable, deadline);
    }

    /// <summary>libsndfile opened and seeked to <paramref name="startSeconds"/>, or null when it does not know the format.</summary>
    private static SndfileSource? OpenInProcess(string path, double startSeconds)
    {
        var sndfile = SndfileSource.TryOpen(path, out _);
        if (sndfile is null || startSeconds <= 0) return sndfile;
        try
        {
            sndfile.SeekFrame((long)Math.Round(startSeconds * sndfile.SampleRateHz));
            return sndfile;
        }
        catch
        {
            sndfile.Dispose();
            throw;
        }
    }
}
