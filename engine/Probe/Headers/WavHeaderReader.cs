using System.Buffers.Binary;
using System.Text;
using SSIS.Batch.Engine.Probe.Tags;

namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>
/// RIFF/WAVE: the 'fmt ' chunk gives the format, the 'data' chunk's size the duration; a 'LIST' INFO chunk or an
/// 'id3 ' chunk (either may follow the data) the tags.
/// </summary>
public sealed class WavHeaderReader : IHeaderReader
{
    private const int MaxChunksWalked = 64;
    private const int MaxInfoBytes = 64 * 1024;

    public bool Recognises(FileWindow file) =>
        file.Head.Length >= 12 && file.Head.Span[..4].SequenceEqual("RIFF"u8) && file.Head.Span.Slice(8, 4).SequenceEqual("WAVE"u8);

    public AudioProperties? Read(FileWindow file)
    {
        long offset = 12;
        int formatTag = 0, channels = 0, sampleRateHz = 0, byteRate = 0, bitsPerSample = 0;
        long? dataBytes = null;
        var tags = new TagBuilder();
        for (var i = 0; i < MaxChunksWalked && offset + 8 <= file.LengthBytes; i++)
        {
            var header = file.Span(offset, 8);
            var id = header[..4];
            long size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            if (id.SequenceEqual("fmt "u8))
            {
                var fmt = file.Span(offset + 8, (int)Math.Min(size, 40));
                if (fmt.Length < 16) return null;
                formatTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                sampleRateHz = (int)BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
                byteRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(fmt[8..]);
                bitsPerSample = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
                if (formatTag == 0xFFFE && fmt.Length >= 26) formatTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (byteRate <= 0 || channels <= 0 || sampleRateHz <= 0) return null;
                // Streamed WAVs leave the size at 0 or 0xFFFFFFFF: the data then runs to the end of the file.
                var available = file.LengthBytes - (offset + 8);
                if (size == 0 || size > available) size = available;
                dataBytes = size;
            }
            else if (id.SequenceEqual("LIST"u8) && size is >= 4 and <= MaxInfoBytes && file.Span(offset + 8, 4).SequenceEqual("INFO"u8))
                ReadInfo(file.Span(offset + 12, (int)size - 4), tags);
            else if (id.SequenceEqual("id3 "u8) || id.SequenceEqual("ID3 "u8))
                Id3v2.Read(file, offset + 8, tags);
            offset += 8 + size + (size & 1);
        }
        if (dataBytes is not { } bytes) return null;
        var duration = (double)bytes / byteRate;
        return new AudioProperties(duration, sampleRateHz, channels, byteRate * 8, CodecName(formatTag, bitsPerSample), "wav", tags.Build());
    }

    /// <summary>The RIFF INFO fields (INAM title, IART artist, IPRD album, ICRD date, IGNR genre, ITRK/IPRT track).</summary>
    private static void ReadInfo(ReadOnlySpan<byte> info, TagBuilder tags)
    {
        var position = 0;
        while (position + 8 <= info.Length)
        {
            var id = Encoding.ASCII.GetString(info.Slice(position, 4));
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(info[(position + 4)..]), (uint)(info.Length - position - 8));
            var value = info.Slice(position + 8, size);
            var end = value.IndexOf((byte)0);
            var text = Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
            var name = id switch
            {
                "INAM" => "TITLE",
                "IART" => "ARTIST",
                "IPRD" => "ALBUM",
                "ICRD" => "DATE",
                "IGNR" => "GENRE",
                "ITRK" or "IPRT" => "TRACKNUMBER",
                _ => null,
            };
            if (name is not null) tags.Add(name, text);
            position += 8 + size + (size & 1);
        }
    }

    private static string CodecName(int formatTag, int bitsPerSample) => (formatTag, bitsPerSample) switch
    {
        (1, 8) => "pcm_u8",
        (1, 16) => "pcm_s16le",
        (1, 24) => "pcm_s24le",
        (1, 32) => "pcm_s32le",
        (3, 32) => "pcm_f32le",
        (3, 64) => "pcm_f64le",
        (6, _) => "pcm_alaw",
        (7, _) => "pcm_mulaw",
        (2, _) => "adpcm_ms",
        (0x11, _) => "adpcm_ima_wav",
        (0x55, _) => "mp3",
        _ => $"wav_format_0x{formatTag:x4}",
    };
}
