using System.Reflection;
using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Native;

/// <summary>
/// Resolves the Debian libraries the engine binds directly (libsndfile, libswresample, libavutil, libchromaprint) through
/// the system loader, with an install hint when one is missing, and finds the git-ignored <c>native/</c> folder where
/// <c>run.sh setup</c> places the files fetched from npm (the Silero VAD model).
/// </summary>
public static class NativeLibraries
{
    /// <summary>Environment variable naming the folder that holds the fetched files; overrides the search.</summary>
    public const string DirectoryVariable = "SSIS_NATIVE_DIR";

    /// <summary>The file whose presence marks the <c>native/</c> folder (the only file set-up fetches into it).</summary>
    public const string MarkerFile = "silero_vad_v5.onnx";

    public const string Sndfile = "sndfile";
    public const string Swresample = "swresample";
    public const string AvUtil = "avutil";
    public const string Chromaprint = "chromaprint";

    /// <summary>Libraries the system provides (Debian packages), by soname, newest ABI last, and the package to install.</summary>
    private static readonly Dictionary<string, (string[] Sonames, string Package)> SystemLibraries = new()
    {
        [Sndfile] = (["libsndfile.so.1", "sndfile.dll"], "libsndfile1"),
        [Swresample] = (["libswresample.so.4", "libswresample.so.5", "swresample-4.dll", "swresample-5.dll"], "libswresample4 (comes with ffmpeg)"),
        [AvUtil] = (["libavutil.so.57", "libavutil.so.58", "libavutil.so.59", "avutil-57.dll", "avutil-58.dll", "avutil-59.dll"], "libavutil57 (comes with ffmpeg)"),
        [Chromaprint] = (["libchromaprint.so.1", "chromaprint.dll"], "libchromaprint1"),
    };

    private static int _installed;

    /// <summary>Installs the resolver for the engine assembly; safe to call more than once.</summary>
    public static void EnsureResolver()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
    }

    /// <summary>The folder holding the fetched files, or null when none is found.</summary>
    public static string? FindDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "native");
            if (File.Exists(Path.Combine(candidate, MarkerFile))) return candidate;
        }
        return null;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!SystemLibraries.TryGetValue(libraryName, out var system)) return IntPtr.Zero;
        foreach (var soname in system.Sonames)
            if (NativeLibrary.TryLoad(soname, assembly, searchPath, out var handle)) return handle;
        throw new DllNotFoundException($"{system.Sonames[0]} is not installed: apt-get install {system.Package} (or run './run.sh setup').");
    }
}
