using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Native.Sndfile;

/// <summary>libsndfile 1.2 (Debian libsndfile1): WAV, FLAC, Ogg Vorbis, Ogg Opus and MP3 (via mpg123) in process.</summary>
internal static unsafe partial class SndfileNative
{
    private const string Lib = NativeLibraries.Sndfile;

    static SndfileNative() => NativeLibraries.EnsureResolver();

    public const int ReadMode = 0x10;
    public const int SeekSet = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct Info
    {
        public long Frames;
        public int SampleRate;
        public int Channels;
        public int Format;
        public int Sections;
        public int Seekable;
    }

    /// <summary>SF_VIRTUAL_IO: get_filelen, seek, read, write, tell callbacks, each taking the user data last.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct VirtualIo
    {
        public delegate* unmanaged<IntPtr, long> GetFileLength;
        public delegate* unmanaged<long, int, IntPtr, long> Seek;
        public delegate* unmanaged<void*, long, IntPtr, long> Read;
        public delegate* unmanaged<void*, long, IntPtr, long> Write;
        public delegate* unmanaged<IntPtr, long> Tell;
    }

    [LibraryImport(Lib, EntryPoint = "sf_open_virtual")] public static partial IntPtr OpenVirtual(VirtualIo* io, int mode, ref Info info, IntPtr userData);
    [LibraryImport(Lib, EntryPoint = "sf_close")] public static partial int Close(IntPtr file);
    [LibraryImport(Lib, EntryPoint = "sf_strerror")] public static partial IntPtr StrError(IntPtr file);
    [LibraryImport(Lib, EntryPoint = "sf_error")] public static partial int Error(IntPtr file);
    [LibraryImport(Lib, EntryPoint = "sf_seek")] public static partial long Seek(IntPtr file, long frames, int whence);
    [LibraryImport(Lib, EntryPoint = "sf_readf_float")] public static partial long ReadFramesFloat(IntPtr file, float* buffer, long frames);
    [LibraryImport(Lib, EntryPoint = "sf_version_string")] public static partial IntPtr VersionString();
}

internal sealed class SndfileHandle() : SafeHandle(IntPtr.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == IntPtr.Zero;

    public static SndfileHandle Wrap(IntPtr raw)
    {
        var safe = new SndfileHandle();
        safe.SetHandle(raw);
        return safe;
    }

    protected override bool ReleaseHandle() => SndfileNative.Close(handle) == 0;
}
