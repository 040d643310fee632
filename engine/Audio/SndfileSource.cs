using System.Runtime.InteropServices;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Native.Sndfile;

namespace SSIS.Batch.Engine.Audio;

/// <summary>Decodes in process with libsndfile (WAV, FLAC, Ogg Vorbis, Ogg Opus, MP3, AIFF, ...).</summary>
public sealed unsafe class SndfileSource : IAudioSource
{
    public const string Name = "libsndfile";

    private readonly SndfileHandle _handle;
    private readonly MappedFile _file;

    private SndfileSource(SndfileHandle handle, MappedFile file, SndfileNative.Info info)
    {
        _handle = handle;
        _file = file;
        Channels = info.Channels;
        SampleRateHz = info.SampleRate;
        Frames = info.Frames;
        Seekable = info.Seekable != 0;
    }

    public string DecoderName => Name;
    public int Channels { get; }
    public int SampleRateHz { get; }

    /// <summary>Frames in the file as libsndfile reports them (an estimate for MP3).</summary>
    public long Frames { get; }

    public bool Seekable { get; }

    /// <summary>
    /// Opens the file (memory-mapped, read through libsndfile's virtual I/O), or returns null with libsndfile's reason
    /// when it does not know the format. Missing or unreadable files throw the usual I/O exceptions.
    /// </summary>
    public static SndfileSource? TryOpen(string path, out string? reason)
    {
        var file = MappedFile.Open(path);
        var info = new SndfileNative.Info();
        var io = MappedFile.Callbacks;
        var raw = SndfileNative.OpenVirtual(&io, SndfileNative.ReadMode, ref info, file.UserData);
        if (raw == IntPtr.Zero)
        {
            reason = Marshal.PtrToStringUTF8(SndfileNative.StrError(IntPtr.Zero));
            file.Dispose();
            return null;
        }
        reason = null;
        return new SndfileSource(SndfileHandle.Wrap(raw), file, info);
    }

    public void SeekFrame(long frame)
    {
        if (SndfileNative.Seek(_handle.DangerousGetHandle(), frame, SndfileNative.SeekSet) < 0)
            throw new AudioDecodeException(ErrorCode.FileCorrupt, $"cannot seek to frame {frame}: {LastError()}");
    }

    public int ReadFrames(Span<float> interleaved)
    {
        var frames = interleaved.Length / Channels;
        long read;
        fixed (float* buffer = interleaved) read = SndfileNative.ReadFramesFloat(_handle.DangerousGetHandle(), buffer, frames);
        if (read == 0 && SndfileNative.Error(_handle.DangerousGetHandle()) != 0)
            throw new AudioDecodeException(ErrorCode.FileCorrupt, $"decoding failed: {LastError()}");
        return (int)read;
    }

    private string LastError() => Marshal.PtrToStringUTF8(SndfileNative.StrError(_handle.DangerousGetHandle())) ?? "unknown libsndfile error";

    public static string Version => Marshal.PtrToStringUTF8(SndfileNative.VersionString()) ?? "unknown";

    public void Dispose()
    {
        _handle.Dispose();
        _file.Dispose();
    }
}
