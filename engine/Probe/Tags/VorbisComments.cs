using System.Buffers.Binary;
using System.Text;

namespace SSIS.Batch.Engine.Probe.Tags;

/// <summary>A Vorbis comment block (Ogg Vorbis, Ogg Opus, FLAC): vendor string, then "NAME=value" UTF-8 fields.</summary>
public static class VorbisComments
{
    /// <summary>Adds the fields of a block that starts at its vendor length; a block cut short keeps what it held.</summary>
    public static void Read(ReadOnlySpan<byte> block, TagBuilder tags) => tags.AddFields(Fields(block));

    private static List<(string Name, string Value)> Fields(ReadOnlySpan<byte> block)
    {
        var fields = new List<(string, string)>();
        if (block.Length < 8) return fields;
        var vendorBytes = BinaryPrimitives.ReadUInt32LittleEndian(block);
        if (vendorBytes > block.Length - 8) return fields;
        var position = 4 + (int)vendorBytes;
        var count = BinaryPrimitives.ReadUInt32LittleEndian(block[position..]);
        position += 4;
        for (var i = 0u; i < count && position + 4 <= block.Length; i++)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(block[position..]);
            position += 4;
            if (length > block.Length - position) return fields;
            var field = block.Slice(position, (int)length);
            position += (int)length;
            var equals = field.IndexOf((byte)'=');
            if (equals <= 0) continue;
            fields.Add((Encoding.ASCII.GetString(field[..equals]), Encoding.UTF8.GetString(field[(equals + 1)..])));
        }
        return fields;
    }
}
