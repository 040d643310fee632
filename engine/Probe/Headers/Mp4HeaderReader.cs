using System.Buffers.Binary;
using System.Globalization;
using SSIS.Batch.Engine.Probe.Tags;

namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>
/// MP4 / M4A: walks the top-level boxes to 'moov' (at the start or the end), then the first sound track's
/// 'mdhd' (duration, timescale) and 'stsd' entry (codec, channels, rate).
/// </summary>
public sealed class Mp4HeaderReader : IHeaderReader
{
    private const int MaxTopLevelBoxes = 256;
    private const long MaxMoovBytes = 64L * 1024 * 1024;

    public bool Recognises(FileWindow file) => file.Head.Length >= 8 && file.Head.Span.Slice(4, 4).SequenceEqual("ftyp"u8);

    public AudioProperties? Read(FileWindow file)
    {
        var boxes = TopLevelBoxes(file).ToList();
        var moov = ReadBody(file, boxes.FirstOrDefault(b => b.Type.AsSpan().SequenceEqual("moov"u8)));
        // A fragmented MP4 ('mvex': its samples are in later moof boxes) times only its first fragment in mdhd: ffprobe reads it.
        if (moov is null || Child(moov, "mvex"u8) is not null) return null;
        foreach (var trak in Children(moov, "trak"u8))
        {
            var mdia = Child(trak, "mdia"u8);
            if (mdia is null) continue;
            var hdlr = Child(mdia, "hdlr"u8);
            if (hdlr is null || hdlr.Length < 12 || !hdlr.AsSpan(8, 4).SequenceEqual("soun"u8)) continue;
            var mdhd = Child(mdia, "mdhd"u8);
            var stsd = Child(Child(Child(mdia, "minf"u8), "stbl"u8), "stsd"u8);
            if (mdhd is null || stsd is null) return null;
            var (timescale, units) = ReadMediaHeader(mdhd);
            if (timescale == 0) return null;
            var duration = (double)units / timescale;
            var entry = ReadSampleEntry(stsd);
            if (entry is null) return null;
            var (codec, channels, rateHz) = entry.Value;
            var mediaBytes = boxes.Where(b => b.Type.AsSpan().SequenceEqual("mdat"u8)).Sum(b => b.Bytes - b.HeaderBytes);
            return new AudioProperties(duration, rateHz > 0 ? rateHz : (int)timescale, channels,
                AudioProperties.AverageBitRateBps(mediaBytes > 0 ? mediaBytes : file.LengthBytes, duration), codec, "mp4", ReadTags(moov));
        }
        return null;
    }

    /// <summary>
    /// iTunes-style tags: moov/udta/meta/ilst items, each holding a 'data' box ('----' items are named freeform). In
    /// QuickTime metadata (ffmpeg's <c>-movflags use_metadata_tags</c>, phones) a 'keys' box names the items instead and
    /// each item's type is its 1-based key number; the meta box is then in udta or straight in moov.
    /// </summary>
    private static AudioTags ReadTags(byte[] moov)
    {
        var tags = new TagBuilder();
        foreach (var box in new[] { Child(Child(moov, "udta"u8), "meta"u8), Child(moov, "meta"u8) })
        {
            var meta = box;
            // 'meta' is a full box (version and flags first) in MP4; QuickTime writes it without them.
            if (meta is { Length: > 8 } && !meta.AsSpan(4, 4).SequenceEqual("hdlr"u8)) meta = meta[4..];
            if (Child(meta, "ilst"u8) is { } ilst) ReadItems(ilst, KeyNames(Child(meta, "keys"u8)), tags);
        }
        return tags.Build();
    }

    /// <summary>
    /// The names of a QuickTime 'keys' box in order (version and flags and a count, then entries laid out as boxes: the
    /// namespace where a box has its type, the name as its body); null without one. Apple's names lose their
    /// <c>com.apple.quicktime.</c> prefix, so title, artist, album and so on read as ffmpeg's do.
    /// </summary>
    private static List<string>? KeyNames(byte[]? keys) =>
        keys is not { Length: >= 8 } ? null
        : Boxes(keys, 8).Select(entry => System.Text.Encoding.UTF8.GetString(keys, entry.BodyStart, entry.BodyBytes) is var name
            && name.StartsWith(AppleKeyPrefix, StringComparison.Ordinal) ? name[AppleKeyPrefix.Length..] : name).ToList();

    private const string AppleKeyPrefix = "com.apple.quicktime.";

    private static void ReadItems(byte[] ilst, List<string>? keyNames, TagBuilder tags)
    {
        foreach (var (itemType, start, bytes) in Boxes(ilst))
        {
            var item = ilst[start..(start + bytes)];
            // With QuickTime keys an item's type is its key number.
            var name = keyNames is null ? FourCharacterCode(itemType) : itemType >= 1 && itemType <= keyNames.Count ? keyNames[(int)itemType - 1] : "";
            var data = Child(item, "data"u8);
            if (data is null || data.Length < 8) continue;
            var type = BinaryPrimitives.ReadUInt32BigEndian(data) & 0xFFFFFF;
            var value = data.AsSpan(8);
            var text = type == 1 ? System.Text.Encoding.UTF8.GetString(value) : null;
            switch (name)
            {
                case "\u00a9nam": tags.Add("TITLE", text); break;
                case "\u00a9ART": tags.AddAll("ARTIST", Texts(item)); break;
                case "\u00a9alb": tags.Add("ALBUM", text); break;
                case "aART": tags.AddAll("ALBUMARTIST", Texts(item)); break;
                case "\u00a9wrt": tags.AddAll("COMPOSER", Texts(item)); break;
                case "\u00a9day": tags.Add("DATE", text); break;
                case "\u00a9gen": tags.AddAll("GENRE", Texts(item)); break;
                case "gnre" when value.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(value) > 0:
                    tags.AddAll("GENRE", Id3v1.GenreNames((BinaryPrimitives.ReadUInt16BigEndian(value) - 1).ToString(CultureInfo.InvariantCulture)).ToList());
                    break;
                case "trkn" or "disk" when value.Length >= 4 && BinaryPrimitives.ReadUInt16BigEndian(value[2..]) > 0:
                    tags.Add(name == "trkn" ? "TRACKNUMBER" : "DISCNUMBER", BinaryPrimitives.ReadUInt16BigEndian(value[2..]).ToString(CultureInfo.InvariantCulture));
                    break;
                case "rate":
                    tags.Add("RATING", text ?? (value.Length > 0 ? value[^1].ToString(CultureInfo.InvariantCulture) : null));
                    break;
                case "----" when Child(item, "name"u8) is { Length: > 4 } freeform:
                    tags.Add(System.Text.Encoding.UTF8.GetString(freeform.AsSpan(4)), text);
                    break;
                case var key when keyNames is not null:
                    // QuickTime keys are ffmpeg's names (title, artist, album_artist, track, date, FMPS_RATING, ...).
                    tags.Add(key, text);
                    break;
            }
        }
    }

    /// <summary>A top-level box's body (null for none, or one too large to be a moov).</summary>
    private static byte[]? ReadBody(FileWindow file, (byte[] Type, long Offset, int HeaderBytes, long Bytes) box) =>
        box.Type is null || box.Bytes > MaxMoovBytes ? null : file.ReadAt(box.Offset + box.HeaderBytes, (int)(box.Bytes - box.HeaderBytes));

    /// <summary>
    /// The file's top-level boxes: type, offset, header and whole size (a size of 0 runs to the end of the file). The
    /// media data ('mdat') is the audio; the rest (moov with its tags and cover art, free) is not counted in the bit rate.
    /// </summary>
    private static IEnumerable<(byte[] Type, long Offset, int HeaderBytes, long Bytes)> TopLevelBoxes(FileWindow file)
    {
        long offset = 0;
        for (var i = 0; i < MaxTopLevelBoxes && offset + 8 <= file.LengthBytes; i++)
        {
            var header = file.Span(offset, 16).ToArray();
            if (header.Length < 8) yield break;
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var headerBytes = 8;
            if (size == 1)
            {
                if (header.Length < 16) yield break;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
                headerBytes = 16;
            }
            else if (size == 0) size = file.LengthBytes - offset;
            if (size < headerBytes || size > file.LengthBytes - offset) yield break;
            yield return (header[4..8], offset, headerBytes, size);
            offset += size;
        }
    }

    /// <summary>
    /// The boxes laid one after another in <paramref name="body"/> from <paramref name="start"/>: each box's type (its
    /// four bytes, big-endian) and where its body lies. A size that runs past the end ends the walk: a damaged file gives
    /// fewer boxes.
    /// </summary>
    private static List<(uint Type, int BodyStart, int BodyBytes)> Boxes(byte[] body, int start = 0)
    {
        var boxes = new List<(uint, int, int)>();
        var offset = start;
        while (offset + 8 <= body.Length)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset));
            if (size < 8 || size > body.Length - offset) break;
            boxes.Add((BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 4)), offset + 8, (int)size - 8));
            offset += (int)size;
        }
        return boxes;
    }

    private static string FourCharacterCode(uint type)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, type);
        return System.Text.Encoding.Latin1.GetString(bytes);
    }

    /// <summary>Child boxes of a container body of one type: each as its body bytes.</summary>
    private static IEnumerable<byte[]> Children(byte[]? body, ReadOnlySpan<byte> type)
    {
        var wanted = BinaryPrimitives.ReadUInt32BigEndian(type);
        return body is null ? [] : Boxes(body).Where(box => box.Type == wanted).Select(box => body[box.BodyStart..(box.BodyStart + box.BodyBytes)]);
    }

    private static byte[]? Child(byte[]? body, ReadOnlySpan<byte> type) => Children(body, type).FirstOrDefault();

    /// <summary>The UTF-8 text of each of an item's 'data' boxes: an item with several values (artists, genres) has one box per value.</summary>
    private static List<string> Texts(byte[] item) =>
        Children(item, "data"u8).Where(d => d.Length >= 8 && (BinaryPrimitives.ReadUInt32BigEndian(d) & 0xFFFFFF) == 1)
            .Select(d => System.Text.Encoding.UTF8.GetString(d, 8, d.Length - 8)).ToList();

    private static (uint Timescale, ulong Units) ReadMediaHeader(byte[] mdhd)
    {
        var span = mdhd.AsSpan();
        if (span.Length >= 32 && span[0] == 1)
            return (BinaryPrimitives.ReadUInt32BigEndian(span[20..]), BinaryPrimitives.ReadUInt64BigEndian(span[24..]));
        if (span.Length >= 20)
            return (BinaryPrimitives.ReadUInt32BigEndian(span[12..]), BinaryPrimitives.ReadUInt32BigEndian(span[16..]));
        return (0, 0);
    }

    private static (string Codec, int Channels, int RateHz)? ReadSampleEntry(byte[] stsd)
    {
        // stsd: version/flags (4), entry count (4), then the first entry: size (4), format (4), 6 reserved,
        // data reference index (2), then the audio sample entry (version, revision, vendor, channels, ...).
        var span = stsd.AsSpan();
        if (span.Length < 8 + 36) return null;
        var entry = span[8..];
        var entrySize = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(entry), (uint)entry.Length);
        if (entrySize < 36) return null;
        var format = System.Text.Encoding.ASCII.GetString(entry.Slice(4, 4));
        var channels = BinaryPrimitives.ReadUInt16BigEndian(entry[24..]);
        var rateHz = (int)(BinaryPrimitives.ReadUInt32BigEndian(entry[32..]) >> 16);
        var codec = format switch
        {
            "mp4a" => EsdsCodec(entry[36..entrySize]),
            "alac" => "alac",
            "ac-3" => "ac3",
            "ec-3" => "eac3",
            "Opus" => "opus",
            "fLaC" => "flac",
            ".mp3" => "mp3",
            _ => format.Trim(),
        };
        return (codec, channels, rateHz);
    }

    /// <summary>The codec an 'esds' box declares through its objectTypeIndication (AAC unless it says otherwise).</summary>
    private static string EsdsCodec(ReadOnlySpan<byte> children)
    {
        var index = children.IndexOf("esds"u8);
        if (index < 0 || index + 8 > children.Length) return "aac";
        var body = children[(index + 4 + 4)..]; // type, version/flags
        var position = 0;
        if (!ReadDescriptorHeader(body, ref position, 0x03)) return "aac";
        if (position + 3 > body.Length) return "aac";
        var flags = body[position + 2];
        position += 3 + ((flags & 0x80) != 0 ? 2 : 0) + ((flags & 0x20) != 0 ? 2 : 0);
        if ((flags & 0x40) != 0 && position < body.Length) position += 1 + body[position];
        if (!ReadDescriptorHeader(body, ref position, 0x04) || position >= body.Length) return "aac";
        return body[position] is 0x69 or 0x6B ? "mp3" : "aac";
    }

    /// <summary>Steps over an MPEG-4 descriptor's tag and 1–4 byte length when the tag is the one expected.</summary>
    private static bool ReadDescriptorHeader(ReadOnlySpan<byte> body, ref int position, byte tag)
    {
        if (position >= body.Length || body[position] != tag) return false;
        position++;
        for (var i = 0; i < 4 && position < body.Length; i++)
            if ((body[position++] & 0x80) == 0) return true;
        return false;
    }
}
