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

    /// <summary>
    /// The resolved path as the file system's bytes (names that are not UTF-8 kept as they are), or null if it does not
    /// exist or on systems without <c>realpath</c>.
    /// </summary>
    public static byte[]? BytesOf(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return null;
        var resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try
        {
            var length = 0;
            while (Marshal.ReadByte(resolved, length) != 0) length++;
            var bytes = new byte[length];
            Marshal.Copy(resolved, bytes, 0, length);
            return bytes;
        }
        finally
        {
            free(resolved);
        }
    }

    /// <summary>
    /// A key equal for two spellings of one folder and different for any two folders, even where <see cref="Of"/>'s text
    /// loses bytes that are not UTF-8 (two Latin-1 names it would spell alike).
    /// </summary>
    public static string KeyOf(string path) => BytesOf(path) is { } bytes ? System.Text.Encoding.Latin1.GetString(bytes) : Of(path) ?? path;

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);
}
