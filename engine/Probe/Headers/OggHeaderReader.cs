using System.Buffers.Binary;
using System.Globalization;
using SSIS.Batch.Engine.Probe.Tags;

namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>
/// Ogg Vorbis and Ogg Opus: the identification header on the first page gives rate and channels, the comment header
/// (the second packet) the tags, and the granule position of the stream's last page its length in samples. A file
/// whose last page is cut off was truncated: its last granule is not the track's length.
/// Other Ogg payloads (FLAC, Speex) return null.
/// </summary>
public sealed class OggHeaderReader : IHeaderReader
{
    private const int PageHeaderBytes = 27;
    private const int TailSearchBytes = 64 * 1024;
    private const int OpusOutputRateHz = 48000;
    private const int MaxCommentBytes = 1024 * 1024;

    public bool Recognises(FileWindow file) => file.Head.Length >= 4 && file.Head.Span[..4].SequenceEqual("OggS"u8);

    public AudioProperties? Read(FileWindow file)
    {
        var page = file.Span(0, PageHeaderBytes + 255);
        if (page.Length < PageHeaderBytes) return null;
        var serial = BinaryPrimitives.ReadUInt32LittleEndian(page[14..]);
        var segments = page[26];
        var packet = file.Span(PageHeaderBytes + segments, 30);
        var tail = file.ReadAt(Math.Max(0, file.LengthBytes - TailSearchBytes), TailSearchBytes);
        var lastGranule = LastGranule(tail, serial);
        if (lastGranule is not { } granule) return null;

        if (packet.Length >= 30 && packet[0] == 1 && packet[1..7].SequenceEqual("vorbis"u8))
        {
            var channels = packet[11];
            var sampleRateHz = (int)BinaryPrimitives.ReadUInt32LittleEndian(packet[12..]);
            if (sampleRateHz <= 0 || channels == 0) return null;
            var duration = (double)granule / sampleRateHz;
            RefuseTruncated(tail, file.LengthBytes, duration);
            var (tags, headersEnd) = ReadCommentHeader(file, "\u0003vorbis"u8);
            return new AudioProperties(duration, sampleRateHz, channels, AudioProperties.AverageBitRateBps(file.LengthBytes - headersEnd, duration), "vorbis", "ogg", tags);
        }
        if (packet.Length >= 19 && packet[..8].SequenceEqual("OpusHead"u8))
        {
            var channels = packet[9];
            var preSkip = BinaryPrimitives.ReadUInt16LittleEndian(packet[10..]);
            var duration = Math.Max(0, granule - preSkip) / (double)OpusOutputRateHz;
            if (channels == 0) return null;
            RefuseTruncated(tail, file.LengthBytes, duration);
            var (tags, headersEnd) = ReadCommentHeader(file, "OpusTags"u8);
            return new AudioProperties(duration, OpusOutputRateHz, channels, AudioProperties.AverageBitRateBps(file.LengthBytes - headersEnd, duration), "opus", "ogg", tags);
        }
        return null;
    }

    /// <summary>The granule position of the last page of the logical stream, searched backwards from the end.</summary>
    private static long? LastGranule(ReadOnlySpan<byte> tail, uint serial)
    {
        for (var i = tail.Length - PageHeaderBytes; i >= 0; i--)
        {
            if (tail[i] != 'O' || !tail.Slice(i, 4).SequenceEqual("OggS"u8)) continue;
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail[(i + 14)..]) != serial) continue;
            var granule = BinaryPrimitives.ReadInt64LittleEndian(tail[(i + 6)..]);
            if (granule > 0) return granule;
        }
        return null;
    }

    /// <summary>
    /// Throws when the file's last page is cut off: its header or body runs past the end of the file, so the file stops
    /// inside the track. A last page that is whole but lacks the end-of-stream flag is accepted: clip and stream-capture
    /// tools write such files, and from the tail alone they cannot be told from a stream cut on a page boundary.
    /// </summary>
    private static void RefuseTruncated(ReadOnlySpan<byte> tail, long fileBytes, double durationSeconds)
    {
        for (var i = tail.Length - 4; i >= 0; i--)
        {
            if (tail[i] != 'O' || !tail.Slice(i, 4).SequenceEqual("OggS"u8)) continue;
            var cutOff = i + PageHeaderBytes > tail.Length || i + PageHeaderBytes + tail[i + 26] > tail.Length;
            if (!cutOff)
            {
                if (tail[i + 4] != 0) continue; // not a page header: "OggS" by chance inside a packet
                var bodyBytes = 0;
                foreach (var lacing in tail.Slice(i + PageHeaderBytes, tail[i + 26])) bodyBytes += lacing;
                cutOff = i + PageHeaderBytes + tail[i + 26] + bodyBytes > tail.Length;
            }
            if (!cutOff) return;
            throw new CorruptHeaderException(string.Create(CultureInfo.InvariantCulture,
                $"truncated: the Ogg stream stops inside a cut-off page after {durationSeconds:0.0} s ({fileBytes} bytes)"));
        }
    }

    /// <summary>
    /// The comment header (the stream's second packet, from the second page on) read as Vorbis comments, and where the
    /// page that ends it ends: the audio's bit rate is counted from there, without the tags and their pictures.
    /// </summary>
    private static (AudioTags Tags, long EndBytes) ReadCommentHeader(FileWindow file, ReadOnlySpan<byte> magic)
    {
        var tags = new TagBuilder();
        var packet = new List<byte>();
        var first = file.Span(0, PageHeaderBytes + 255);
        long position = PageHeaderBytes + first[26];
        foreach (var lacing in first.Slice(PageHeaderBytes, first[26])) position += lacing;
        var complete = false;
        while (!complete && packet.Count < MaxCommentBytes)
        {
            var header = file.Span(position, PageHeaderBytes + 255);
            if (header.Length < PageHeaderBytes || !header[..4].SequenceEqual("OggS"u8) || header.Length < PageHeaderBytes + header[26]) break;
            var lacings = header.Slice(PageHeaderBytes, header[26]).ToArray();
            var body = position + PageHeaderBytes + lacings.Length;
            var take = 0;
            foreach (var lacing in lacings)
            {
                take += lacing;
                if (lacing < 255) { complete = true; break; }
            }
            packet.AddRange(file.Span(body, take).ToArray());
            position = body + lacings.Sum(l => (long)l);
        }
        var bytes = packet.ToArray().AsSpan();
        if (bytes.Length > magic.Length && bytes[..magic.Length].SequenceEqual(magic)) VorbisComments.Read(bytes[magic.Length..], tags);
        return (tags.Build(), position);
    }
}
