using System.Buffers.Binary;
using System.Text;

namespace SSIS.Batch.Tests.Support;

/// <summary>
/// Builds an APEv2 tag (header, text items, footer), as foobar2000 writes them at the end of an MP3: ffmpeg writes APE
/// tags only into Monkey's Audio and WavPack files, and no tagging tool is installed.
/// </summary>
public static class ApeWriter
{
    public static byte[] Tag(IReadOnlyDictionary<string, string> items)
    {
        var body = new MemoryStream();
        foreach (var (key, value) in items)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            body.Write(LittleEndian((uint)bytes.Length));
            body.Write(LittleEndian(0)); // UTF-8 text
            body.Write([.. Encoding.ASCII.GetBytes(key), 0]);
            body.Write(bytes);
        }
        var itemBytes = body.ToArray();
        byte[] Frame(bool isHeader) =>
        [
            .. "APETAGEX"u8, .. LittleEndian(2000), .. LittleEndian((uint)(itemBytes.Length + 32)), .. LittleEndian((uint)items.Count),
            .. LittleEndian(0x80000000u | (isHeader ? 0x20000000u : 0)), .. new byte[8],
        ];
        return [.. Frame(isHeader: true), .. itemBytes, .. Frame(isHeader: false)];
    }

    private static byte[] LittleEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }
}
