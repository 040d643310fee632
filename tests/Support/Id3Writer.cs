using System.Text;

namespace SSIS.Batch.Tests.Support;

/// <summary>
/// Writes a minimal ID3v2.3 tag (text frames and a POPM frame) in front of an MP3: ffmpeg cannot write POPM and no
/// tagging tool is installed, so the tests put ratings in the way Windows Media Player and MusicBee do.
/// </summary>
public static class Id3Writer
{
    /// <summary>Replaces <paramref name="mp3Path"/> with the same audio behind a tag holding the text frames and POPM byte.</summary>
    public static void PrependTag(string mp3Path, IReadOnlyDictionary<string, string> textFrames, byte? popm)
    {
        var frames = new MemoryStream();
        foreach (var (id, text) in textFrames)
            WriteFrame(frames, id, [3, .. Encoding.UTF8.GetBytes(text)]); // 3: UTF-8
        if (popm is { } rating)
            WriteFrame(frames, "POPM", [.. "Windows Media Player 9 Series"u8, 0, rating, 0, 0, 0, 0]);
        var body = frames.ToArray();
        var header = new byte[] { (byte)'I', (byte)'D', (byte)'3', 3, 0, 0,
            (byte)((body.Length >> 21) & 0x7F), (byte)((body.Length >> 14) & 0x7F), (byte)((body.Length >> 7) & 0x7F), (byte)(body.Length & 0x7F) };
        File.WriteAllBytes(mp3Path, [.. header, .. body, .. File.ReadAllBytes(mp3Path)]);
    }

    private static void WriteFrame(Stream output, string id, byte[] data)
    {
        output.Write(Encoding.ASCII.GetBytes(id));
        output.Write([(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length, 0, 0]);
        output.Write(data);
    }
}
