using Microsoft.Win32.SafeHandles;

namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>Positioned reads of an open file, with its first bytes already read (most headers live there).</summary>
public sealed class FileWindow(SafeFileHandle? handle, long lengthBytes, ReadOnlyMemory<byte> head)
{
    /// <summary>Bytes already in memory read as a file (an ID3v2 tag with its unsynchronisation undone).</summary>
    public FileWindow(byte[] bytes) : this(null, bytes.Length, bytes) { }

    public long LengthBytes { get; } = lengthBytes;

    /// <summary>The file's first bytes (fewer when the file is shorter).</summary>
    public ReadOnlyMemory<byte> Head { get; } = head;

    /// <summary>Where the stream starts: after a leading ID3v2 tag, else 0.</summary>
    public long StreamStartBytes { get; } = Id3v2.TagSizeBytes(head.Span);

    /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="offsetBytes"/>; fewer at the end of the file, none for a count a
    /// malformed header made negative.</summary>
    public byte[] ReadAt(long offsetBytes, int count)
    {
        if (count <= 0 || offsetBytes < 0 || offsetBytes >= LengthBytes) return [];
        if (handle is null) return Head.Span.Slice((int)offsetBytes, (int)Math.Min(count, LengthBytes - offsetBytes)).ToArray();
        var buffer = new byte[(int)Math.Min(count, LengthBytes - offsetBytes)];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(filled), offsetBytes + filled);
            if (read == 0) break;
            filled += read;
        }
        return filled == buffer.Length ? buffer : buffer[..filled];
    }

    /// <summary>The bytes at an offset, served from <see cref="Head"/> when it covers them.</summary>
    public ReadOnlySpan<byte> Span(long offsetBytes, int count)
    {
        if (offsetBytes >= 0 && count >= 0 && offsetBytes + count <= Head.Length) return Head.Span.Slice((int)offsetBytes, count);
        return ReadAt(offsetBytes, count);
    }
}
