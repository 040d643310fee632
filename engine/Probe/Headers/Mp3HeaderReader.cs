using System.Buffers.Binary;
using SSIS.Batch.Engine.Probe.Tags;

namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>
/// MPEG audio (layers I–III): the first frame header, then a Xing/Info or VBRI header for VBR files;
/// constant bit rate files are timed by their size.
/// </summary>
public sealed class Mp3HeaderReader : IHeaderReader
{
    private const int SyncSearchBytes = 64 * 1024;

    private static readonly int[,] BitRatesKbps =
    {
        { 0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448 }, // MPEG-1 layer I
        { 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384 },    // MPEG-1 layer II
        { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 },     // MPEG-1 layer III
        { 0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256 },    // MPEG-2/2.5 layer I
        { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 },         // MPEG-2/2.5 layers II, III
    };

    private static readonly int[,] SampleRatesHz = { { 44100, 48000, 32000 }, { 22050, 24000, 16000 }, { 11025, 12000, 8000 } };

    /// <summary>One decoded MPEG audio frame header.</summary>
    public readonly record struct FrameHeader(int Version, int Layer, int BitRateKbps, int SampleRateHz, bool Mono, int FrameBytes, int SamplesPerFrame)
    {
        /// <summary>1 = MPEG-1, 2 = MPEG-2, 25 = MPEG-2.5.</summary>
        public int Version { get; } = Version;
    }

    public bool Recognises(FileWindow file) => FindFirstFrame(file) is not null;

    public AudioProperties? Read(FileWindow file)
    {
        if (FindFirstFrame(file) is not var (offset, frame)) return null;
        var codec = frame.Layer switch { 1 => "mp1", 2 => "mp2", _ => "mp3" };
        var channels = frame.Mono ? 1 : 2;
        var id3v1Bytes = Id3v1.IsPresent(file) ? Id3v1.TagBytes : 0;
        var tagsEnd = file.LengthBytes - id3v1Bytes;
        // An APE tag that would reach back into the first frame is damaged: it is neither audio's end nor tags.
        var ape = ApeTag.Find(file, tagsEnd) is { } found && tagsEnd - found.SizeBytes > offset + frame.FrameBytes ? found : (ApeTag.Location?)null;
        var tags = ReadTags(file, ape);
        var audioBytes = tagsEnd - (ape?.SizeBytes ?? 0) - offset;
        var vbr = frame.Layer == 3 ? ReadVbrHeader(file, offset, frame) : null;
        if (vbr is { Frames: > 0 } v)
        {
            // LAME counts every byte from its header frame to the end of the audio: a file cut short holds fewer. Compared with
            // the bytes before the end tags from the file's start, so an encoder that counts the leading ID3v2 tag too (as
            // some do) is not taken for a cut file.
            var heldBytes = offset + audioBytes;
            if (v.Bytes > 0 && v.Bytes - heldBytes > Math.Max(v.Bytes / 100, 4L * frame.FrameBytes))
                throw new CorruptHeaderException($"truncated: the MP3's Xing header counts {v.Bytes} bytes of audio but the file holds {audioBytes}");
            var duration = (double)v.Frames * frame.SamplesPerFrame / frame.SampleRateHz;
            var bytes = v.Bytes > 0 ? v.Bytes : audioBytes;
            // LAME writes an "Info" tag (not "Xing") into constant-bit-rate files: their rate is that of the audio frames,
            // which the Info frame's own header need not share (ffmpeg's 128 kbps files carry it in a 64 kbps frame).
            var averageBps = v.ConstantBitRate
                ? (ParseFrameHeader(file.Span(offset + frame.FrameBytes, 4)) ?? frame).BitRateKbps * 1000
                : AudioProperties.AverageBitRateBps(bytes, duration);
            return new AudioProperties(duration, frame.SampleRateHz, channels, averageBps, codec, "mp3", tags);
        }
        var bitRateBps = frame.BitRateKbps * 1000;
        return new AudioProperties((double)audioBytes * 8 / bitRateBps, frame.SampleRateHz, channels, bitRateBps, codec, "mp3", tags);
    }

    /// <summary>
    /// The leading ID3v2 tag's fields, then those of the APE tag found at the end (null: none), then the ID3v1 tag's, each
    /// for what the ones before lacked.
    /// </summary>
    private static AudioTags ReadTags(FileWindow file, ApeTag.Location? ape)
    {
        var tags = new TagBuilder();
        Id3v2.Read(file, 0, tags);
        if (ape is { } found) ApeTag.Read(file, found, tags);
        Id3v1.Read(file, tags);
        return tags.Build();
    }

    /// <summary>Decodes a 4-byte frame header, or null when it is not a valid one (free-format frames included).</summary>
    public static FrameHeader? ParseFrameHeader(ReadOnlySpan<byte> h)
    {
        if (h.Length < 4 || h[0] != 0xFF || (h[1] & 0xE0) != 0xE0) return null;
        var versionBits = (h[1] >> 3) & 3;
        var layerBits = (h[1] >> 1) & 3;
        var bitRateIndex = h[2] >> 4;
        var sampleRateIndex = (h[2] >> 2) & 3;
        if (versionBits == 1 || layerBits == 0 || bitRateIndex is 0 or 15 || sampleRateIndex == 3) return null;
        var version = versionBits switch { 3 => 1, 2 => 2, _ => 25 };
        var layer = 4 - layerBits;
        var table = version == 1 ? layer - 1 : layer == 1 ? 3 : 4;
        var bitRateKbps = BitRatesKbps[table, bitRateIndex];
        var sampleRateHz = SampleRatesHz[version switch { 1 => 0, 2 => 1, _ => 2 }, sampleRateIndex];
        var padding = (h[2] >> 1) & 1;
        var mono = (h[3] >> 6) == 3;
        int samplesPerFrame, frameBytes;
        if (layer == 1)
        {
            samplesPerFrame = 384;
            frameBytes = (12 * bitRateKbps * 1000 / sampleRateHz + padding) * 4;
        }
        else
        {
            samplesPerFrame = layer == 3 && version != 1 ? 576 : 1152;
            frameBytes = samplesPerFrame / 8 * bitRateKbps * 1000 / sampleRateHz + padding;
        }
        return new FrameHeader(version, layer, bitRateKbps, sampleRateHz, mono, frameBytes, samplesPerFrame);
    }

    /// <summary>The first frame header that is followed by another valid one (or the end of the file).</summary>
    private static (long Offset, FrameHeader Frame)? FindFirstFrame(FileWindow file)
    {
        var start = file.StreamStartBytes;
        var window = start + SyncSearchBytes <= file.Head.Length ? file.Head.Span.Slice((int)start, SyncSearchBytes) : file.ReadAt(start, SyncSearchBytes);
        for (var i = 0; i + 4 <= window.Length; i++)
        {
            if (window[i] != 0xFF || ParseFrameHeader(window[i..]) is not { } frame) continue;
            var next = start + i + frame.FrameBytes;
            if (next + 4 > file.LengthBytes) return (start + i, frame);
            var following = ParseFrameHeader(file.Span(next, 4));
            if (following is { } f && f.Version == frame.Version && f.Layer == frame.Layer && f.SampleRateHz == frame.SampleRateHz)
                return (start + i, frame);
        }
        return null;
    }

    private readonly record struct VbrHeader(long Frames, long Bytes, bool ConstantBitRate = false);

    private static VbrHeader? ReadVbrHeader(FileWindow file, long frameOffset, FrameHeader frame)
    {
        var sideInfoBytes = frame.Version == 1 ? (frame.Mono ? 17 : 32) : (frame.Mono ? 9 : 17);
        var xing = file.Span(frameOffset + 4 + sideInfoBytes, 16);
        if (xing.Length == 16 && (xing[..4].SequenceEqual("Xing"u8) || xing[..4].SequenceEqual("Info"u8)))
        {
            var flags = BinaryPrimitives.ReadUInt32BigEndian(xing[4..]);
            var position = 8;
            long frames = 0, bytes = 0;
            if ((flags & 1) != 0) { frames = BinaryPrimitives.ReadUInt32BigEndian(xing[position..]); position += 4; }
            if ((flags & 2) != 0) bytes = BinaryPrimitives.ReadUInt32BigEndian(xing[position..]);
            return new VbrHeader(frames, bytes, ConstantBitRate: xing[0] == 'I');
        }
        var vbri = file.Span(frameOffset + 4 + 32, 18);
        if (vbri.Length == 18 && vbri[..4].SequenceEqual("VBRI"u8))
            return new VbrHeader(BinaryPrimitives.ReadUInt32BigEndian(vbri[14..]), BinaryPrimitives.ReadUInt32BigEndian(vbri[10..]));
        return null;
    }
}
