using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Native.Chromaprint;

/// <summary>libchromaprint 1.5 (Debian libchromaprint1).</summary>
internal static unsafe partial class ChromaprintNative
{
    private const string Lib = NativeLibraries.Chromaprint;

    static ChromaprintNative() => NativeLibraries.EnsureResolver();

    /// <summary>CHROMAPRINT_ALGORITHM_TEST2, the default and what fpcalc and AcoustID use.</summary>
    public const int AlgorithmDefault = 1;

    [LibraryImport(Lib, EntryPoint = "chromaprint_get_version")] public static partial IntPtr GetVersion();
    [LibraryImport(Lib, EntryPoint = "chromaprint_new")] public static partial IntPtr New(int algorithm);
    [LibraryImport(Lib, EntryPoint = "chromaprint_free")] public static partial void Free(IntPtr context);
    [LibraryImport(Lib, EntryPoint = "chromaprint_start")] public static partial int Start(IntPtr context, int sampleRate, int channels);
    [LibraryImport(Lib, EntryPoint = "chromaprint_feed")] public static partial int Feed(IntPtr context, short* data, int size);
    [LibraryImport(Lib, EntryPoint = "chromaprint_finish")] public static partial int Finish(IntPtr context);
    [LibraryImport(Lib, EntryPoint = "chromaprint_get_raw_fingerprint")] public static partial int GetRawFingerprint(IntPtr context, out IntPtr fingerprint, out int size);
    [LibraryImport(Lib, EntryPoint = "chromaprint_hash_fingerprint")] public static partial int HashFingerprint(uint* fingerprint, int size, out uint hash);
    [LibraryImport(Lib, EntryPoint = "chromaprint_encode_fingerprint")] public static partial int EncodeFingerprint(uint* fingerprint, int size, int algorithm, out IntPtr encoded, out int encodedSize, int base64);
    [LibraryImport(Lib, EntryPoint = "chromaprint_dealloc")] public static partial void Dealloc(IntPtr pointer);
}

internal sealed class ChromaprintHandle() : SafeHandle(IntPtr.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == IntPtr.Zero;

    public static ChromaprintHandle Create()
    {
        var safe = new ChromaprintHandle();
        safe.SetHandle(ChromaprintNative.New(ChromaprintNative.AlgorithmDefault));
        if (safe.IsInvalid) throw new InvalidOperationException("chromaprint_new failed.");
        return safe;
    }

    protected override bool ReleaseHandle()
    {
        ChromaprintNative.Free(handle);
        return true;
    }
}
