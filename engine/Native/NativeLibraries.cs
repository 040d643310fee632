using System.Reflection;
using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Native;

/// <summary>
/// Finds the native files that <c>run.sh setup</c> places in the git-ignored <c>native/</c> folder
/// (libonnxruntime). Debian's libraries (libsndfile, libchromaprint) resolve through the system loader.
/// </summary>
public static class NativeLibraries
{
    /// <summary>Environment variable naming the folder that holds the native files; overrides the search.</summary>
    public const string DirectoryVariable = "SSIS_NATIVE_DIR";

    public const string OnnxRuntime = "onnxruntime";
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

    private static readonly Dictionary<string, string[]> FileNames = new()
    {
        [OnnxRuntime] = ["libonnxruntime.so.1", "onnxruntime.dll", "libonnxruntime.dylib"],
    };

    private static int _installed;

    /// <summary>Installs the resolver for the engine assembly; safe to call more than once.</summary>
    public static void EnsureResolver()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
    }

    /// <summary>The folder holding the native files, or null when none is found.</summary>
    public static string? FindDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "native");
            if (FileNames.Values.SelectMany(names => names).Any(name => File.Exists(Path.Combine(candidate, name))))
                return candidate;
        }
        return null;
    }

    /// <summary>The full path of a native file, or a clear exception saying how to install it.</summary>
    public static string PathOf(string library)
    {
        var dir = FindDirectory()
            ?? throw new DllNotFoundException(
                $"Native folder not found: run './run.sh setup' or set {DirectoryVariable} to the folder holding {FileNames[library][0]}.");
        foreach (var name in FileNames[library])
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        throw new DllNotFoundException($"{FileNames[library][0]} is not in {dir}: run './run.sh setup'.");
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (FileNames.ContainsKey(libraryName)) return NativeLibrary.Load(PathOf(libraryName));
        if (!SystemLibraries.TryGetValue(libraryName, out var system)) return IntPtr.Zero;
        foreach (var soname in system.Sonames)
            if (NativeLibrary.TryLoad(soname, assembly, searchPath, out var handle)) return handle;
        throw new DllNotFoundException($"{system.Sonames[0]} is not installed: apt-get install {system.Package} (or run './run.sh setup').");
    }
}
