using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Catalog;

/// <summary>What a path is, following symlinks. Only a regular file may be opened: opening a FIFO blocks until a writer appears.</summary>
public enum FileKind
{
    Regular,
    Directory,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    Missing,
    /// <summary>The type could not be read (e.g. no search permission on a parent): opening the file reports why.</summary>
    Unknown,
}

/// <summary>
/// The file type from <c>statx(2)</c>, without opening the file. .NET has no file-type API (its attributes call a FIFO
/// "Normal"), and <c>struct stat</c> differs between architectures, while <c>struct statx</c> has one layout everywhere.
/// </summary>
public static partial class FileKinds
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int StatxMaskOffset = 0;
    private const int StatxModeOffset = 28;
    private const int ENOENT = 2, ENOTDIR = 20, ELOOP = 40;

    public static FileKind Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Unknown;
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (statx(AtFdCwd, path, 0, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0)
            return Marshal.GetLastPInvokeError() is ENOENT or ENOTDIR or ELOOP ? FileKind.Missing : FileKind.Unknown;
        if ((BitConverter.ToUInt32(buffer[StatxMaskOffset..]) & StatxType) == 0) return FileKind.Unknown;
        return (BitConverter.ToUInt16(buffer[StatxModeOffset..]) & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Unknown,
        };
    }

    /// <summary>Why a path that is not a regular file is not read, for its NOT_A_FILE row; null for a file that may be opened.</summary>
    public static string? NotAFileReason(string path) => Of(path) switch
    {
        FileKind.Directory => "is a directory",
        FileKind.Fifo => "is a FIFO (named pipe): not opened, reading it would wait for a writer",
        FileKind.Socket => "is a socket: not opened",
        FileKind.CharacterDevice => "is a character device: not opened",
        FileKind.BlockDevice => "is a block device: not opened",
        _ => null,
    };

    private const uint StatxMtimeMask = 0x40, StatxSizeMask = 0x200;
    private const int StatxSizeOffset = 40, StatxMtimeOffset = 112;

    /// <summary>
    /// A regular file's size and modification time, following symlinks, from <c>statx(2)</c>; null for anything else or on
    /// systems without it. For links .NET cannot follow by name (to a name that is not UTF-8, see <see cref="NameAliases"/>).
    /// </summary>
    public static (long SizeBytes, DateTime ModifiedUtc)? RegularFileStatus(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        Span<byte> buffer = stackalloc byte[StatxSize];
        const uint wanted = StatxType | StatxMtimeMask | StatxSizeMask;
        if (statx(AtFdCwd, path, 0, wanted, ref MemoryMarshal.GetReference(buffer)) != 0) return null;
        if ((BitConverter.ToUInt32(buffer[StatxMaskOffset..]) & wanted) != wanted || (BitConverter.ToUInt16(buffer[StatxModeOffset..]) & 0xF000) != 0x8000)
            return null;
        var seconds = BitConverter.ToInt64(buffer[StatxMtimeOffset..]);
        var nanoseconds = BitConverter.ToUInt32(buffer[(StatxMtimeOffset + 8)..]);
        return ((long)BitConverter.ToUInt64(buffer[StatxSizeOffset..]), DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond + nanoseconds / 100));
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directoryFd, string path, int flags, uint mask, ref byte buffer);
}
