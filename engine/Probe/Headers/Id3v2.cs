using System.Buffers.Binary;
using System.Text;
using SSIS.Batch.Engine.Probe.Tags;

namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>
/// ID3v2.2, ID3v2.3 and ID3v2.4 tags (before MP3 and FLAC streams, or in a WAV 'id3 ' chunk) and the ID3v1 tag at the
/// end of an MP3. Frames are read one by one where they lie, so cover art before the text frames is stepped over, not read.
/// </summary>
public static class Id3v2
{
    private const int HeaderBytes = 10;
    private const int MaxFrameBytes = 64 * 1024;
    private const int MaxUnsynchronisedTagBytes = 1024 * 1024;
    // A real tag has tens of frames; a hostile one of tiny frames must not cost a read per ten bytes of a large tag.
    private const int MaxWalkedFrames = 10_000;

    /// <summary>Size in bytes of a leading ID3v2 tag (header, body, optional footer), or 0 when there is none.</summary>
    public static long TagSizeBytes(ReadOnlySpan<byte> head)
    {
        if (head.Length < HeaderBytes || head[0] != 'I' || head[1] != 'D' || head[2] != '3') return 0;
        if ((head[6] | head[7] | head[8] | head[9]) >= 0x80) return 0;
        long body = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9];
        var footer = (head[5] & 0x10) != 0 ? 10 : 0;
        return 10 + body + footer;
    }

    /// <summary>Adds the text, POPM and TXXX frames of the ID3v2 tag at <paramref name="offsetBytes"/> (nothing when there is none).</summary>
    public static void Read(FileWindow file, long offsetBytes, TagBuilder tags)
    {
        var header = file.Span(offsetBytes, HeaderBytes);
        var tagBytes = TagSizeBytes(header);
        if (tagBytes == 0) return;
        var version = header[3];
        if (version is not (2 or 3 or 4)) return;
        var flags = header[5];
        // ID3v2.2's compression flag names no scheme, so such a tag cannot be read.
        if (version == 2 && (flags & 0x40) != 0) return;
        var end = offsetBytes + HeaderBytes + SynchsafeOrPlain(header[6..], synchsafe: true);
        if ((flags & 0x80) != 0 && version is 2 or 3)
        {
            // A whole-tag unsynchronisation (ID3v2.2, ID3v2.3) changes every offset: undo it on the tag read at once.
            var body = RemoveUnsynchronisation(file.ReadAt(offsetBytes + HeaderBytes, (int)Math.Min(end - offsetBytes - HeaderBytes, MaxUnsynchronisedTagBytes)));
            var window = new FileWindow(body);
            ReadFrames(window, 0, body.Length, version, flags, tags);
            return;
        }
        ReadFrames(file, offsetBytes + HeaderBytes, end, version, flags, tags);
    }

    private static void ReadFrames(FileWindow file, long position, long end, byte version, byte tagFlags, TagBuilder tags)
    {
        if ((tagFlags & 0x40) != 0 && version != 2)
        {
            // Extended header: its size counts itself in ID3v2.4 and not in ID3v2.3.
            var size = SynchsafeOrPlain(file.Span(position, 4), synchsafe: version == 4);
            position += version == 4 ? size : size + 4;
        }
        var frameHeaderBytes = version == 2 ? 6 : HeaderBytes;
        var synchsafeSizes = version == 4 && !HasPlainFrameSizes(file, position, end);
        for (var frames = 0; frames < MaxWalkedFrames && position + frameHeaderBytes <= end; frames++)
        {
            var frame = file.Span(position, frameHeaderBytes);
            if (frame.Length < frameHeaderBytes || frame[0] == 0) return; // padding
            var id = version == 2 ? FrameIdOfVersion2(Encoding.ASCII.GetString(frame[..3])) : Encoding.ASCII.GetString(frame[..4]);
            var size = version == 2 ? (frame[3] << 16) | (frame[4] << 8) | frame[5] : SynchsafeOrPlain(frame[4..8], synchsafe: synchsafeSizes);
            var formatFlags = version == 2 ? (byte)0 : frame[9];
            position += frameHeaderBytes;
            if (size <= 0 || position + size > end) return;
            var wanted = id is "TIT2" or "TPE1" or "TALB" or "TPE2" or "TCOM" or "TRCK" or "TPOS" or "TYER" or "TDRC" or "TDRL" or "TDOR" or "TORY"
                or "TCON" or "TXXX" or "POPM";
            // Compressed or encrypted frames are skipped (ID3v2.3: 0x80/0x40; ID3v2.4: 0x08/0x04).
            var packed = version == 3 ? (formatFlags & 0xC0) != 0 : (formatFlags & 0x0C) != 0;
            if (wanted && !packed && size <= MaxFrameBytes)
            {
                var data = file.Span(position, (int)size).ToArray();
                if (version == 4 && (formatFlags & 0x02) != 0) data = RemoveUnsynchronisation(data);
                var skip = version == 4 ? ((formatFlags & 0x40) != 0 ? 1 : 0) + ((formatFlags & 0x01) != 0 ? 4 : 0) : ((formatFlags & 0x20) != 0 ? 1 : 0);
                if (skip < data.Length) ReadFrame(id, data.AsSpan(skip), tags);
            }
            position += size;
        }
    }

    /// <summary>The ID3v2.3 name of an ID3v2.2 frame this reader wants (the same content under a three-letter name).</summary>
    private static string FrameIdOfVersion2(string id) => id switch
    {
        "TT2" => "TIT2",
        "TP1" => "TPE1",
        "TAL" => "TALB",
        "TP2" => "TPE2",
        "TCM" => "TCOM",
        "TRK" => "TRCK",
        "TPA" => "TPOS",
        "TYE" => "TYER",
        "TOR" => "TORY",
        "TCO" => "TCON",
        "TXX" => "TXXX",
        "POP" => "POPM",
        _ => id,
    };

    /// <summary>
    /// Whether an ID3v2.4 tag's frame sizes are plain integers as in ID3v2.3, not synchsafe: some writers (early iTunes
    /// among them) store them so. After mutagen's heuristic: walk the frame headers both ways, and read them plain when
    /// that finds more frames, or as many while the synchsafe walk overruns the tag and the plain one does not.
    /// </summary>
    private static bool HasPlainFrameSizes(FileWindow file, long position, long end)
    {
        var (synchsafeFrames, synchsafeOverrun) = WalkFrames(file, position, end, synchsafe: true);
        var (plainFrames, plainOverrun) = WalkFrames(file, position, end, synchsafe: false);
        return plainFrames > synchsafeFrames || (plainFrames == synchsafeFrames && synchsafeOverrun && !plainOverrun);
    }

    /// <summary>How many frame headers with a valid name a walk of the tag meets, and whether its last frame runs past the tag.</summary>
    private static (int Frames, bool Overrun) WalkFrames(FileWindow file, long position, long end, bool synchsafe)
    {
        var frames = 0;
        while (position + HeaderBytes <= end && frames < MaxWalkedFrames)
        {
            var frame = file.Span(position, HeaderBytes);
            if (frame.Length < HeaderBytes || frame[0] == 0) return (frames, false);
            if (!IsFrameId(frame[..4])) return (frames, false);
            frames++;
            var size = SynchsafeOrPlain(frame[4..8], synchsafe);
            // The frame reader stops at an empty frame too.
            if (size == 0) return (frames, false);
            position += HeaderBytes + size;
        }
        return (frames, position > end);
    }

    private static bool IsFrameId(ReadOnlySpan<byte> id)
    {
        foreach (var b in id)
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9'))) return false;
        return true;
    }

    private static void ReadFrame(string id, ReadOnlySpan<byte> data, TagBuilder tags)
    {
        switch (id)
        {
            case "POPM":
                var email = data.IndexOf((byte)0);
                if (email >= 0 && email + 1 < data.Length) tags.AddRating(Ratings.FromPopm(data[email + 1]));
                return;
            case "TXXX":
                var values = Texts(data);
                if (values.Count >= 2) tags.Add(values[0], values[1]);
                return;
        }
        var texts = Texts(data);
        if (texts.Count == 0) return;
        var name = id switch
        {
            "TIT2" => "TITLE",
            "TPE1" => "ARTIST",
            "TALB" => "ALBUM",
            "TPE2" => "ALBUMARTIST",
            "TCOM" => "COMPOSER",
            "TRCK" => "TRACKNUMBER",
            "TPOS" => "DISCNUMBER",
            "TCON" => "GENRE",
            "TYER" or "TDRC" => "DATE",
            "TDRL" => "RELEASEDATE",
            _ => "ORIGINALDATE",
        };
        // ID3v2.4 separates the values of a multi-valued frame (several artists, several genres) with NULs.
        tags.AddAll(name, name == "GENRE" ? texts.SelectMany(Id3v1.GenreNames).ToList() : texts);
    }

    /// <summary>The NUL-separated strings of a text frame after its encoding byte.</summary>
    private static List<string> Texts(ReadOnlySpan<byte> data)
    {
        var values = new List<string>();
        if (data.Length < 2) return values;
        var encoding = data[0];
        var body = data[1..];
        var wide = encoding is 1 or 2;
        while (body.Length > 0)
        {
            var end = wide ? WideTerminator(body) : body.IndexOf((byte)0);
            var piece = end < 0 ? body : body[..end];
            values.Add(encoding switch
            {
                0 => Encoding.Latin1.GetString(piece),
                1 => Utf16WithBom(piece),
                2 => Encoding.BigEndianUnicode.GetString(piece),
                _ => Encoding.UTF8.GetString(piece),
            });
            if (end < 0) break;
            body = body[(end + (wide ? 2 : 1))..];
        }
        return values;
    }

    private static int WideTerminator(ReadOnlySpan<byte> body)
    {
        for (var i = 0; i + 1 < body.Length; i += 2)
            if (body[i] == 0 && body[i + 1] == 0) return i;
        return -1;
    }

    private static string Utf16WithBom(ReadOnlySpan<byte> piece)
    {
        if (piece.Length >= 2 && piece[0] == 0xFE && piece[1] == 0xFF) return Encoding.BigEndianUnicode.GetString(piece[2..]);
        if (piece.Length >= 2 && piece[0] == 0xFF && piece[1] == 0xFE) return Encoding.Unicode.GetString(piece[2..]);
        return Encoding.Unicode.GetString(piece);
    }

    private static long SynchsafeOrPlain(ReadOnlySpan<byte> size, bool synchsafe) =>
        size.Length < 4 ? 0
        : synchsafe ? (size[0] << 21) | (size[1] << 14) | (size[2] << 7) | size[3]
        : BinaryPrimitives.ReadUInt32BigEndian(size);

    /// <summary>Undoes unsynchronisation: every 0xFF 0x00 becomes 0xFF.</summary>
    private static byte[] RemoveUnsynchronisation(byte[] data)
    {
        var output = new List<byte>(data.Length);
        for (var i = 0; i < data.Length; i++)
        {
            output.Add(data[i]);
            if (data[i] == 0xFF && i + 1 < data.Length && data[i + 1] == 0) i++;
        }
        return output.ToArray();
    }
}

/// <summary>The 128-byte ID3v1(.1) tag at the end of an MP3: text fields of fixed width, a genre number.</summary>
public static class Id3v1
{
    public const int TagBytes = 128;

    private static readonly string[] Genres =
    [
        "Blues", "Classic Rock", "Country", "Dance", "Disco", "Funk", "Grunge", "Hip-Hop", "Jazz", "Metal", "New Age", "Oldies",
        "Other", "Pop", "R&B", "Rap", "Reggae", "Rock", "Techno", "Industrial", "Alternative", "Ska", "Death Metal", "Pranks",
        "Soundtrack", "Euro-Techno", "Ambient", "Trip-Hop", "Vocal", "Jazz+Funk", "Fusion", "Trance", "Classical",
        "Instrumental", "Acid", "House", "Game", "Sound Clip", "Gospel", "Noise", "AlternRock", "Bass", "Soul", "Punk", "Space",
        "Meditative", "Instrumental Pop", "Instrumental Rock", "Ethnic", "Gothic", "Darkwave", "Techno-Industrial", "Electronic",
        "Pop-Folk", "Eurodance", "Dream", "Southern Rock", "Comedy", "Cult", "Gangsta", "Top 40", "Christian Rap", "Pop/Funk",
        "Jungle", "Native American", "Cabaret", "New Wave", "Psychadelic", "Rave", "Showtunes", "Trailer", "Lo-Fi", "Tribal",
        "Acid Punk", "Acid Jazz", "Polka", "Retro", "Musical", "Rock & Roll", "Hard Rock",
        // Winamp's extensions, which ID3v2 genre numbers and most taggers use.
        "Folk", "Folk-Rock", "National Folk", "Swing", "Fast Fusion", "Bebob", "Latin", "Revival", "Celtic", "Bluegrass",
        "Avantgarde", "Gothic Rock", "Progressive Rock", "Psychedelic Rock", "Symphonic Rock", "Slow Rock", "Big Band", "Chorus",
        "Easy Listening", "Acoustic", "Humour", "Speech", "Chanson", "Opera", "Chamber Music", "Sonata", "Symphony", "Booty Bass",
        "Primus", "Porn Groove", "Satire", "Slow Jam", "Club", "Tango", "Samba", "Folklore", "Ballad", "Power Ballad",
        "Rhythmic Soul", "Freestyle", "Duet", "Punk Rock", "Drum Solo", "A Cappella", "Euro-House", "Dance Hall", "Goa",
        "Drum & Bass", "Club-House", "Hardcore Techno", "Terror", "Indie", "BritPop", "Afro-Punk", "Polsk Punk", "Beat",
        "Christian Gangsta Rap", "Heavy Metal", "Black Metal", "Crossover", "Contemporary Christian", "Christian Rock",
        "Merengue", "Salsa", "Thrash Metal", "Anime", "Jpop", "Synthpop",
    ];

    public static bool IsPresent(FileWindow file) =>
        file.LengthBytes >= TagBytes && file.Span(file.LengthBytes - TagBytes, 3).SequenceEqual("TAG"u8);

    /// <summary>Adds title, artist, album, year, track (ID3v1.1) and genre; fields an ID3v2 tag gave already win.</summary>
    public static void Read(FileWindow file, TagBuilder tags)
    {
        if (!IsPresent(file)) return;
        var tag = file.Span(file.LengthBytes - TagBytes, TagBytes);
        tags.Add("TITLE", Field(tag.Slice(3, 30)));
        tags.Add("ARTIST", Field(tag.Slice(33, 30)));
        tags.Add("ALBUM", Field(tag.Slice(63, 30)));
        tags.Add("DATE", Field(tag.Slice(93, 4)));
        if (tag[125] == 0 && tag[126] != 0) tags.Add("TRACKNUMBER", tag[126].ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (tag[127] < Genres.Length) tags.Add("GENRE", Genres[tag[127]]);
    }

    /// <summary>
    /// The genres an ID3 genre text names: "17" or "(17)" is ID3v1 genre 17; ID3v2.3's "(17)(18)" lists two, "(17)Rock"
    /// refines 17 by its text, "(RX)" and "(CR)" are Remix and Cover, and "((" starts a text that begins with "(". Any other
    /// text is the genre itself.
    /// </summary>
    public static IEnumerable<string> GenreNames(string text)
    {
        if (GenreOfNumber(text) is { } plain)
        {
            yield return plain;
            yield break;
        }
        var rest = text;
        var named = false;
        while (rest.StartsWith('(') && !rest.StartsWith("((", StringComparison.Ordinal) && rest.IndexOf(')') is > 0 and var close)
        {
            var reference = rest[1..close];
            var name = reference switch { "RX" => "Remix", "CR" => "Cover", _ => GenreOfNumber(reference) };
            if (name is null) break;
            yield return name;
            named = true;
            rest = rest[(close + 1)..];
        }
        if (rest.StartsWith("((", StringComparison.Ordinal)) rest = rest[1..];
        if (rest.Length > 0 || !named) yield return rest;
    }

    private static string? GenreOfNumber(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < Genres.Length
            ? Genres[index]
            : null;

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A fixed-width field. The standard says Latin-1, but writers such as ffmpeg store UTF-8: text that is valid UTF-8
    /// is read as such (Latin-1 prose almost never is), anything else as Latin-1.
    /// </summary>
    private static string Field(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        var text = end < 0 ? bytes : bytes[..end];
        try
        {
            return StrictUtf8.GetString(text).Trim();
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(text).Trim();
        }
    }
}
