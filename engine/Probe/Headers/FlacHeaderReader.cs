using System.Buffers.Binary;
using System.Globalization;
using SSIS.Batch.Engine.Probe.Tags;

namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>
/// FLAC: the STREAMINFO block (always first) holds sample rate, channels and the total sample count; a VORBIS_COMMENT
/// block holds the tags. The bit rate counts the frames only, not the metadata blocks (pictures, padding). The last frame's header (found from the end) says where the stream really ends: it gives the
/// length of a streamed FLAC, whose STREAMINFO says 0 samples, and exposes a header promising more than the file holds.
/// </summary>
public sealed class FlacHeaderReader : IHeaderReader
{
    private const int StreamInfoBytes = 34;
    private const int VorbisCommentBlock = 4;
    private const int MaxMetadataBlocks = 64;
    private const int MaxCommentBytes = 1024 * 1024;
    private const int DefaultTailBytes = 64 * 1024;
    private const int MaxTailBytes = 1024 * 1024;

    /// <summary>Largest block a FLAC frame may hold (the block size codes' maximum).</summary>
    private const long MaxBlockSamples = 65536;

    public bool Recognises(FileWindow file) => file.Span(file.StreamStartBytes, 4).SequenceEqual("fLaC"u8);

    public AudioProperties? Read(FileWindow file)
    {
        var block = file.Span(file.StreamStartBytes, 4 + 4 + StreamInfoBytes);
        if (block.Length < 42 || !block[..4].SequenceEqual("fLaC"u8) || (block[4] & 0x7F) != 0) return null;
        var info = block[8..];
        var sampleRateHz = (info[10] << 12) | (info[11] << 4) | (info[12] >> 4);
        var channels = ((info[12] >> 1) & 0x7) + 1;
        var maxFrameBytes = (info[7] << 16) | (info[8] << 8) | info[9];
        var headerSamples = ((long)(info[13] & 0x0F) << 32) | ((long)info[14] << 24) | ((long)info[15] << 16) | ((long)info[16] << 8) | info[17];
        if (sampleRateHz == 0) return null;
        var lastFrame = LastFrame(file, maxFrameBytes);
        var streamSamples = lastFrame?.EndSample;
        if (headerSamples > 0 && streamSamples is { } found && found + MaxBlockSamples < headerSamples)
            throw new CorruptHeaderException(string.Create(CultureInfo.InvariantCulture,
                $"truncated: the FLAC header promises {headerSamples / (double)sampleRateHz:0.0} s but the stream ends at {found / (double)sampleRateHz:0.0} s"));
        // A streamed FLAC (written to a pipe) cannot go back to fill in its length: STREAMINFO says 0 samples. Its length is
        // then its last frame's end, which a file cut short holds only in part: the frame's closing CRC-16 tells.
        if (headerSamples == 0 && lastFrame is { } last && !EndsWithTag(file) && !EndsWithWholeFrame(file, last.Offset))
            throw new CorruptHeaderException(string.Create(CultureInfo.InvariantCulture,
                $"truncated: the streamed FLAC stops inside its last frame, about {last.EndSample / (double)sampleRateHz:0.0} s in (its CRC-16 does not match)"));
        var totalSamples = headerSamples > 0 ? headerSamples : streamSamples ?? 0;
        if (totalSamples == 0) return null;
        var duration = (double)totalSamples / sampleRateHz;
        var blocks = MetadataBlocks(file).ToList();
        var audioBytes = file.LengthBytes - blocks.Select(b => b.Position + 4 + b.Length).DefaultIfEmpty(file.StreamStartBytes + 4).Last();
        return new AudioProperties(duration, sampleRateHz, channels, AudioProperties.AverageBitRateBps(audioBytes, duration), "flac", "flac",
            ReadTags(file, blocks));
    }

    /// <summary>The metadata blocks after "fLaC": each one's type, where its header starts, and its length (up to the last).</summary>
    private static IEnumerable<(int Type, long Position, int Length)> MetadataBlocks(FileWindow file)
    {
        var position = file.StreamStartBytes + 4;
        for (var i = 0; i < MaxMetadataBlocks; i++)
        {
            var header = file.Span(position, 4).ToArray();
            if (header.Length < 4) yield break;
            var length = (header[1] << 16) | (header[2] << 8) | header[3];
            yield return (header[0] & 0x7F, position, length);
            if ((header[0] & 0x80) != 0) yield break;
            position += 4 + length;
        }
    }

    /// <summary>The VORBIS_COMMENT block's fields, then a leading ID3v2 tag's for what it lacked.</summary>
    private static AudioTags ReadTags(FileWindow file, IReadOnlyList<(int Type, long Position, int Length)> blocks)
    {
        var tags = new TagBuilder();
        if (blocks.FirstOrDefault(b => b.Type == VorbisCommentBlock) is { Length: > 0 and <= MaxCommentBytes } comments)
            VorbisComments.Read(file.Span(comments.Position + 4, comments.Length), tags);
        Id3v2.Read(file, 0, tags);
        return tags.Build();
    }

    /// <summary>
    /// Where the last frame starts and the sample its audio ends at: the last frame header near the end of the file whose
    /// CRC-8 holds and whose number follows an earlier header's (a chance sync pattern in the audio is not taken for a
    /// frame). Scanned backwards, so a file's last two frames are all it parses.
    /// </summary>
    private static (long Offset, long EndSample)? LastFrame(FileWindow file, int maxFrameBytes)
    {
        var tailBytes = maxFrameBytes > 0 ? Math.Clamp(3 * maxFrameBytes, DefaultTailBytes, MaxTailBytes) : DefaultTailBytes;
        var tailStart = Math.Max(file.StreamStartBytes + 4, file.LengthBytes - tailBytes);
        var tail = file.ReadAt(tailStart, tailBytes);
        // Later headers by the number the frame before them carries plus one (its samples, with variable blocks): one look-up
        // a candidate, however many a crafted tail holds. The first one kept for a number is the one nearest the end.
        var later = new Dictionary<(bool VariableBlocks, long Number), (FrameHeader Header, int At)>();
        for (var i = tail.Length - 6; i >= 0; i--)
        {
            if (tail[i] != 0xFF || (tail[i + 1] & 0xFE) != 0xF8 || ParseFrameHeader(tail.AsSpan(i)) is not { } before) continue;
            var following = before.VariableBlocks ? before.Number + before.BlockSamples : before.Number + 1;
            if (later.TryGetValue((before.VariableBlocks, following), out var found))
            {
                var last = found.Header;
                return (tailStart + found.At,
                    last.VariableBlocks ? last.Number + last.BlockSamples : last.Number * before.BlockSamples + last.BlockSamples);
            }
            later.TryAdd((before.VariableBlocks, before.Number), (before, i));
        }
        return null;
    }

    /// <summary>Whether a tag follows the audio (ID3v1, APEv2, or an ID3v2 tag with its footer), so its last bytes are no frame's.</summary>
    private static bool EndsWithTag(FileWindow file) =>
        Id3v1.IsPresent(file) || ApeTag.Find(file, file.LengthBytes) is not null || file.Span(file.LengthBytes - 10, 3).SequenceEqual("3DI"u8);

    /// <summary>Whether the bytes from <paramref name="frameOffset"/> to the end are one whole frame: its last two bytes are the CRC-16 of the rest.</summary>
    private static bool EndsWithWholeFrame(FileWindow file, long frameOffset)
    {
        var frame = file.ReadAt(frameOffset, (int)Math.Min(file.LengthBytes - frameOffset, MaxTailBytes));
        if (frame.Length < 8) return false;
        ushort crc = 0;
        foreach (var b in frame.AsSpan(0, frame.Length - 2))
        {
            crc ^= (ushort)(b << 8);
            for (var bit = 0; bit < 8; bit++) crc = (ushort)((crc & 0x8000) != 0 ? (crc << 1) ^ 0x8005 : crc << 1);
        }
        return crc == BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(frame.Length - 2));
    }

    /// <param name="Number">the frame number (fixed block size) or the first sample's number (variable block size)</param>
    private readonly record struct FrameHeader(bool VariableBlocks, long Number, int BlockSamples);

    /// <summary>A frame header at the start of <paramref name="bytes"/> whose reserved bits and CRC-8 are right, else null.</summary>
    private static FrameHeader? ParseFrameHeader(ReadOnlySpan<byte> bytes)
    {
        var blockCode = bytes[2] >> 4;
        var rateCode = bytes[2] & 0x0F;
        if (blockCode == 0 || rateCode == 15 || (bytes[3] >> 4) > 10 || ((bytes[3] >> 1) & 7) == 3 || (bytes[3] & 1) != 0) return null;
        var position = 4;
        var first = bytes[position++];
        int extra;
        long number;
        switch (first)
        {
            case < 0x80: extra = 0; number = first; break;
            case >= 0xC0 and < 0xE0: extra = 1; number = first & 0x1F; break;
            case >= 0xE0 and < 0xF0: extra = 2; number = first & 0x0F; break;
            case >= 0xF0 and < 0xF8: extra = 3; number = first & 0x07; break;
            case >= 0xF8 and < 0xFC: extra = 4; number = first & 0x03; break;
            case >= 0xFC and < 0xFE: extra = 5; number = first & 0x01; break;
            case 0xFE: extra = 6; number = 0; break;
            default: return null;
        }
        var sizeBytes = (blockCode is 6 ? 1 : blockCode is 7 ? 2 : 0) + (rateCode is 12 ? 1 : rateCode is 13 or 14 ? 2 : 0);
        if (position + extra + sizeBytes + 1 > bytes.Length) return null;
        for (var i = 0; i < extra; i++)
        {
            var next = bytes[position++];
            if ((next & 0xC0) != 0x80) return null;
            number = (number << 6) + (next & 0x3F);
        }
        var blockSamples = blockCode switch
        {
            1 => 192,
            >= 2 and <= 5 => 576 << (blockCode - 2),
            6 => bytes[position] + 1,
            7 => BinaryPrimitives.ReadUInt16BigEndian(bytes[position..]) + 1,
            _ => 256 << (blockCode - 8),
        };
        position += sizeBytes;
        if (Crc8(bytes[..position]) != bytes[position]) return null;
        var variable = (bytes[1] & 1) != 0;
        return new FrameHeader(variable, number, blockSamples);
    }

    /// <summary>FLAC's header CRC-8 (polynomial x^8 + x^2 + x + 1, initial 0).</summary>
    private static byte Crc8(ReadOnlySpan<byte> bytes)
    {
        var crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
        }
        return (byte)crc;
    }
}
