using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Native.Swresample;

/// <summary>libswresample and the libavutil calls it needs (Debian, installed with ffmpeg).</summary>
internal static unsafe partial class SwresampleNative
{
    static SwresampleNative() => NativeLibraries.EnsureResolver();

    public const int SampleFormatS16 = 1;
    public const int SampleFormatFloat = 3;

    /// <summary>AVChannelLayout (libavutil 57+): order, channel count, mask/map union, opaque. 24 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ChannelLayout
    {
        public int Order;
        public int Channels;
        public ulong Mask;
        public IntPtr Opaque;
    }

    [LibraryImport(NativeLibraries.AvUtil, EntryPoint = "av_channel_layout_default")] public static partial void ChannelLayoutDefault(ChannelLayout* layout, int channels);
    [LibraryImport(NativeLibraries.AvUtil, EntryPoint = "av_channel_layout_uninit")] public static partial void ChannelLayoutUninit(ChannelLayout* layout);
    [LibraryImport(NativeLibraries.AvUtil, EntryPoint = "av_opt_set_int", StringMarshalling = StringMarshalling.Utf8)] public static partial int OptSetInt(IntPtr obj, string name, long value, int searchFlags);
    [LibraryImport(NativeLibraries.AvUtil, EntryPoint = "av_opt_set_double", StringMarshalling = StringMarshalling.Utf8)] public static partial int OptSetDouble(IntPtr obj, string name, double value, int searchFlags);
    [LibraryImport(NativeLibraries.AvUtil, EntryPoint = "av_strerror")] public static partial int StrError(int code, byte* buffer, nuint size);

    [LibraryImport(NativeLibraries.Swresample, EntryPoint = "swr_alloc_set_opts2")]
    public static partial int AllocSetOpts2(IntPtr* context, ChannelLayout* outLayout, int outFormat, int outRate,
        ChannelLayout* inLayout, int inFormat, int inRate, int logOffset, IntPtr logContext);
    [LibraryImport(NativeLibraries.Swresample, EntryPoint = "swr_init")] public static partial int Init(IntPtr context);
    [LibraryImport(NativeLibraries.Swresample, EntryPoint = "swr_convert")] public static partial int Convert(IntPtr context, byte** output, int outCount, byte** input, int inCount);
    [LibraryImport(NativeLibraries.Swresample, EntryPoint = "swr_get_out_samples")] public static partial int GetOutSamples(IntPtr context, int inSamples);
    [LibraryImport(NativeLibraries.Swresample, EntryPoint = "swr_free")] public static partial void Free(IntPtr* context);

    public static string ErrorText(int code)
    {
        var buffer = stackalloc byte[256];
        return StrError(code, buffer, 256) == 0 ? Marshal.PtrToStringUTF8((IntPtr)buffer) ?? $"error {code}" : $"error {code}";
    }
}

internal sealed unsafe class SwrContextHandle() : SafeHandle(IntPtr.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == IntPtr.Zero;

    public static SwrContextHandle Wrap(IntPtr raw)
    {
        var safe = new SwrContextHandle();
        safe.SetHandle(raw);
        return safe;
    }

    protected override bool ReleaseHandle()
    {
        var raw = handle;
        SwresampleNative.Free(&raw);
        return true;
    }
}
