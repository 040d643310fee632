using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Catalog;

/// <summary>
/// A path with every symlink resolved (libc's <c>realpath</c>), so two spellings of one folder compare equal. On
/// systems without it, the full path.
/// </summary>
public static partial class RealPath
{
    /// <summary>The resolved path, or null if the path or a folder on it does not exist.</summary>
    public static string? Of(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return Path.GetFullPath(path);
        var resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);
}
