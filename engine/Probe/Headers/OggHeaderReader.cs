using System.Buffers.Binary;

namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>
/// Ogg Vorbis and Ogg Opus: the identification header on the first page gives rate and channels, the granule
/// position of the stream's last page gives its length in samples. Other Ogg payloads (FLAC, Speex) return null.
/// </summary>
public sealed class OggHeaderReader : IHeaderReader
{
    private const int PageHeaderBytes = 27;
    private const int TailSearchBytes = 64 * 1024;
    private const int OpusOutputRateHz = 48000;

    public bool Recognises(FileWindow file) => file.Head.Length >= 4 && file.Head.Span[..4].SequenceEqual("OggS"u8);

    public AudioProperties? Read(FileWindow file)
    {
        var page = file.Span(0, PageHeaderBytes + 255);
        if (page.Length < PageHeaderBytes) return null;
        var serial = BinaryPrimitives.ReadUInt32LittleEndian(page[14..]);
        var segments = page[26];
        var packet = file.Span(PageHeaderBytes + segments, 30);
        var lastGranule = LastGranule(file, serial);
        if (lastGranule is not { } granule) return null;

        if (packet.Length >= 30 && packet[0] == 1 && packet[1..7].SequenceEqual("vorbis"u8))
        {
            var channels = packet[11];
            var sampleRateHz = (int)BinaryPrimitives.ReadUInt32LittleEndian(packet[12..]);
            if (sampleRateHz <= 0 || channels == 0) return null;
            var duration = (double)granule / sampleRateHz;
            return new AudioProperties(duration, sampleRateHz, channels, FlacHeaderReader.AverageBitRate(file.LengthBytes, duration), "vorbis", "ogg");
        }
        if (packet.Length >= 19 && packet[..8].SequenceEqual("OpusHead"u8))
        {
            var channels = packet[9];
            var preSkip = BinaryPrimitives.ReadUInt16LittleEndian(packet[10..]);
            var duration = Math.Max(0, granule - preSkip) / (double)OpusOutputRateHz;
            if (channels == 0) return null;
            return new AudioProperties(duration, OpusOutputRateHz, channels, FlacHeaderReader.AverageBitRate(file.LengthBytes, duration), "opus", "ogg");
        }
        return null;
    }

    /// <summary>The granule position of the last page of the logical stream, searched backwards from the end.</summary>
    private static long? LastGranule(FileWindow file, uint serial)
    {
        var tailStart = Math.Max(0, file.LengthBytes - TailSearchBytes);
        var tail = file.ReadAt(tailStart, TailSearchBytes).AsSpan();
        for (var i = tail.Length - PageHeaderBytes; i >= 0; i--)
        {
            if (tail[i] != 'O' || !tail.Slice(i, 4).SequenceEqual("OggS"u8)) continue;
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail[(i + 14)..]) != serial) continue;
            var granule = BinaryPrimitives.ReadInt64LittleEndian(tail[(i + 6)..]);
            if (granule > 0) return granule;
        }
        return null;
    }
}
