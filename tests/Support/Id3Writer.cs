using System.Text;

namespace SSIS.Batch.Tests.Support;

/// <summary>How <see cref="Id3Writer"/> lays a tag out: the version, and for ID3v2.4 how frame sizes are stored.</summary>
public enum Id3Layout
{
    Version2_3,
    /// <summary>ID3v2.2: three-letter frame names (TT2, TP1, POP, ...) and three-byte sizes, as early iTunes wrote.</summary>
    Version2_2,
    /// <summary>ID3v2.4 with plain (not synchsafe) frame sizes, as early iTunes wrote.</summary>
    Version2_4WithPlainSizes,
}

/// <summary>
/// Writes a minimal ID3v2 tag (text frames and a POPM frame) in front of an MP3: ffmpeg cannot write POPM, ID3v2.2 or
/// a faulty ID3v2.4 and no tagging tool is installed, so the tests put ratings in the way Windows Media Player and
/// MusicBee do, and old tags the way early iTunes did.
/// </summary>
public static class Id3Writer
{
    /// <summary>
    /// Replaces <paramref name="mp3Path"/> with the same audio behind a tag holding the frames (in their ID3v2.3
    /// names; with <see cref="Id3Layout.Version2_2"/> the names given are written as they are) and POPM byte.
    /// </summary>
    public static void PrependTag(string mp3Path, IReadOnlyDictionary<string, string> textFrames, byte? popm, Id3Layout layout = Id3Layout.Version2_3) =>
        File.WriteAllBytes(mp3Path, [.. Tag(textFrames, popm, layout), .. File.ReadAllBytes(mp3Path)]);

    /// <summary>The tag <see cref="PrependTag"/> writes, alone (for an AIFF's or WAV's ID3 chunk). A NUL in a text separates its values.</summary>
    public static byte[] Tag(IReadOnlyDictionary<string, string> textFrames, byte? popm, Id3Layout layout = Id3Layout.Version2_3)
    {
        var frames = new MemoryStream();
        // UTF-8 (3) exists from ID3v2.4; ID3v2.2 and ID3v2.3 text is UTF-16 with a byte-order mark (1).
        byte[] Text(string text) => layout == Id3Layout.Version2_4WithPlainSizes
            ? [3, .. Encoding.UTF8.GetBytes(text)]
            : [1, .. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)];
        foreach (var (id, text) in textFrames)
            WriteFrame(frames, id, id == "PRIV" ? Encoding.ASCII.GetBytes(text) : Text(text), layout);
        if (popm is { } rating)
            WriteFrame(frames, layout == Id3Layout.Version2_2 ? "POP" : "POPM", [.. "Windows Media Player 9 Series"u8, 0, rating, 0, 0, 0, 0], layout);
        var body = frames.ToArray();
        byte version = layout switch { Id3Layout.Version2_2 => 2, Id3Layout.Version2_3 => 3, _ => 4 };
        var header = new byte[] { (byte)'I', (byte)'D', (byte)'3', version, 0, 0,
            (byte)((body.Length >> 21) & 0x7F), (byte)((body.Length >> 14) & 0x7F), (byte)((body.Length >> 7) & 0x7F), (byte)(body.Length & 0x7F) };
        return [.. header, .. body];
    }

    private static void WriteFrame(Stream output, string id, byte[] data, Id3Layout layout)
    {
        output.Write(Encoding.ASCII.GetBytes(id));
        if (layout == Id3Layout.Version2_2)
            output.Write([(byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length]);
        else
            output.Write([(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length, 0, 0]);
        output.Write(data);
    }
}
