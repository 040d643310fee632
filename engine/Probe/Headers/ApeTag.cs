using System.Buffers.Binary;
using System.Text;
using SSIS.Batch.Engine.Probe.Tags;

namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>
/// An APEv2 (or APEv1) tag at the end of an MP3, before any ID3v1 tag, as foobar2000 and MP3Gain write them: a
/// 32-byte "APETAGEX" footer (an optional header of the same form before the items), then items of a little-endian
/// value size and flags, a NUL-ended key and a UTF-8 value. Keys are Vorbis-comment names in any case (Title, Artist,
/// Album Artist, Track, Year, ...).
/// </summary>
public static class ApeTag
{
    private const int FooterBytes = 32;
    private const int MaxItemBytes = 1024 * 1024;

    /// <summary>An APE tag found ending at <see cref="EndBytes"/>: its footer's fields.</summary>
    public readonly record struct Location(long EndBytes, long ItemsAndFooterBytes, uint ItemCount, bool HasHeader)
    {
        /// <summary>The tag's bytes: header, items and footer.</summary>
        public long SizeBytes => ItemsAndFooterBytes + (HasHeader ? FooterBytes : 0);
    }

    /// <summary>The APE tag that ends at <paramref name="endBytes"/>, or null when none does.</summary>
    public static Location? Find(FileWindow file, long endBytes) =>
        Footer(file, endBytes) is var (itemsAndFooterBytes, itemCount, hasHeader) ? new Location(endBytes, itemsAndFooterBytes, itemCount, hasHeader) : null;

    /// <summary>Adds the text items of a tag <see cref="Find"/> found.</summary>
    public static void Read(FileWindow file, Location tag, TagBuilder tags)
    {
        var items = file.ReadAt(tag.EndBytes - tag.ItemsAndFooterBytes, (int)Math.Min(tag.ItemsAndFooterBytes - FooterBytes, MaxItemBytes));
        var offset = 0;
        for (var i = 0; i < tag.ItemCount && offset + 9 <= items.Length; i++)
        {
            var valueBytes = BinaryPrimitives.ReadUInt32LittleEndian(items.AsSpan(offset));
            var flags = BinaryPrimitives.ReadUInt32LittleEndian(items.AsSpan(offset + 4));
            var keyEnd = Array.IndexOf(items, (byte)0, offset + 8);
            if (keyEnd < 0 || valueBytes > (uint)(items.Length - keyEnd - 1)) return;
            var key = Encoding.ASCII.GetString(items, offset + 8, keyEnd - offset - 8);
            // Item type in bits 1–2: 0 is UTF-8 text (several values NUL-separated), 1 binary, 2 an external link.
            if (((flags >> 1) & 3) == 0)
                tags.AddAll(key, Encoding.UTF8.GetString(items, keyEnd + 1, (int)valueBytes).Split('\0'));
            offset = keyEnd + 1 + (int)valueBytes;
        }
    }

    /// <summary>The footer's size of items and footer, item count and whether a header precedes the items; null without a footer.</summary>
    private static (long ItemsAndFooterBytes, uint ItemCount, bool HasHeader)? Footer(FileWindow file, long endBytes)
    {
        if (endBytes < FooterBytes) return null;
        var footer = file.Span(endBytes - FooterBytes, FooterBytes);
        if (!footer[..8].SequenceEqual("APETAGEX"u8)) return null;
        long size = BinaryPrimitives.ReadUInt32LittleEndian(footer[12..]);
        var count = BinaryPrimitives.ReadUInt32LittleEndian(footer[16..]);
        var hasHeader = (BinaryPrimitives.ReadUInt32LittleEndian(footer[20..]) & 0x80000000) != 0;
        if (size < FooterBytes || size + (hasHeader ? FooterBytes : 0) > endBytes) return null;
        // A header the footer announces must be where the size puts it: a damaged size is no tag, not a cut into the audio.
        if (hasHeader && !file.Span(endBytes - size - FooterBytes, 8).SequenceEqual("APETAGEX"u8)) return null;
        return (size, count, hasHeader);
    }
}
