using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using SSIS.Batch.Engine.Native.Sndfile;

namespace SSIS.Batch.Engine.Audio;

/// <summary>
/// A file mapped read-only into memory, served to libsndfile through its virtual I/O callbacks. Codecs read in small
/// pieces (thousands of 4 KB reads per crop); from a mapping each is a memory copy instead of a system call, and only the
/// pages the decoder touches are loaded. The file is never opened for writing.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    /// <summary>The cursor libsndfile moves, in native memory so the callbacks can reach it from any thread.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Cursor
    {
        public byte* Base;
        public long Length;
        public long Position;
    }

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private Cursor* _cursor;

    public IntPtr UserData => (IntPtr)_cursor;

    private MappedFile(MemoryMappedFile map, MemoryMappedViewAccessor view, byte* start, long length)
    {
        _map = map;
        _view = view;
        _cursor = (Cursor*)NativeMemory.Alloc((nuint)sizeof(Cursor));
        *_cursor = new Cursor { Base = start, Length = length };
    }

    /// <summary>Maps <paramref name="path"/>; throws the usual I/O exceptions (missing, permission) like opening it would.</summary>
    public static MappedFile Open(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        if (length == 0) throw new IOException("empty file (0 bytes)");
        var map = MemoryMappedFile.CreateFromFile(handle, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        return new MappedFile(map, view, start + view.PointerOffset, length);
    }

    /// <summary>The callback table libsndfile copies when it opens the file.</summary>
    public static SndfileNative.VirtualIo Callbacks => new()
    {
        GetFileLength = &GetFileLength,
        Seek = &Seek,
        Read = &Read,
        Write = &Write,
        Tell = &Tell,
    };

    [UnmanagedCallersOnly]
    private static long GetFileLength(IntPtr user) => ((Cursor*)user)->Length;

    [UnmanagedCallersOnly]
    private static long Seek(long offset, int whence, IntPtr user)
    {
        var cursor = (Cursor*)user;
        var target = whence switch { 0 => offset, 1 => cursor->Position + offset, 2 => cursor->Length + offset, _ => -1 };
        if (target < 0 || target > cursor->Length) return -1;
        cursor->Position = target;
        return target;
    }

    [UnmanagedCallersOnly]
    private static long Read(void* destination, long count, IntPtr user)
    {
        var cursor = (Cursor*)user;
        var available = Math.Max(0, Math.Min(count, cursor->Length - cursor->Position));
        Buffer.MemoryCopy(cursor->Base + cursor->Position, destination, available, available);
        cursor->Position += available;
        return available;
    }

    [UnmanagedCallersOnly]
    private static long Write(void* source, long count, IntPtr user) => 0;

    [UnmanagedCallersOnly]
    private static long Tell(IntPtr user) => ((Cursor*)user)->Position;

    public void Dispose()
    {
        if (_cursor == null) return;
        NativeMemory.Free(_cursor);
        _cursor = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
