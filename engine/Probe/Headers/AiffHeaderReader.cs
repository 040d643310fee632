using System.Buffers.Binary;
using System.Text;
using SSIS.Batch.Engine.Probe.Tags;

namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>
/// AIFF and uncompressed AIFF-C: the 'COMM' chunk gives channels, sample frames, sample size and rate (an 80-bit float),
/// the 'SSND' chunk how much audio the file holds; an 'ID3 ' chunk (as kid3, mutagen and ffmpeg write it) or the 'NAME'
/// and 'AUTH' chunks the tags. Compressed AIFF-C goes to ffprobe.
/// </summary>
public sealed class AiffHeaderReader : IHeaderReader
{
    private const int MaxChunksWalked = 64;
    private const int MaxTextBytes = 4096;

    public bool Recognises(FileWindow file) =>
        file.Head.Length >= 12 && file.Head.Span[..4].SequenceEqual("FORM"u8)
        && (file.Head.Span.Slice(8, 4).SequenceEqual("AIFF"u8) || file.Head.Span.Slice(8, 4).SequenceEqual("AIFC"u8));

    public AudioProperties? Read(FileWindow file)
    {
        var compressed = file.Head.Span.Slice(8, 4).SequenceEqual("AIFC"u8);
        long offset = 12;
        int channels = 0, bitsPerSample = 0;
        long frames = 0;
        double sampleRateHz = 0;
        string? codec = null;
        long? soundBytes = null;
        var tags = new TagBuilder();
        // NAME and AUTH only fill what the ID3 chunk lacks: a tagger updates the ID3 chunk and leaves them as they were.
        var plainTexts = new List<(string Name, string Value)>();
        for (var i = 0; i < MaxChunksWalked && offset + 8 <= file.LengthBytes; i++)
        {
            var header = file.Span(offset, 8);
            var id = header[..4];
            long size = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
            if (id.SequenceEqual("COMM"u8))
            {
                var comm = file.Span(offset + 8, (int)Math.Min(size, 64));
                if (comm.Length < 18) return null;
                channels = BinaryPrimitives.ReadInt16BigEndian(comm);
                frames = BinaryPrimitives.ReadUInt32BigEndian(comm[2..]);
                bitsPerSample = BinaryPrimitives.ReadInt16BigEndian(comm[6..]);
                sampleRateHz = ExtendedFloat(comm.Slice(8, 10));
                codec = compressed ? (comm.Length >= 22 ? CodecName(Encoding.ASCII.GetString(comm.Slice(18, 4)), bitsPerSample) : null) : PcmName(bitsPerSample, bigEndian: true);
                if (codec is null) return null;
            }
            else if (id.SequenceEqual("SSND"u8) && file.Span(offset + 8, 4) is { Length: 4 } ssnd)
                // The chunk's offset field (and its bytes) and block size field come before the samples; a file cut
                // short holds what is left.
                soundBytes = Math.Max(0, Math.Min(size, file.LengthBytes - (offset + 8)) - 8 - BinaryPrimitives.ReadUInt32BigEndian(ssnd));
            else if (id.SequenceEqual("ID3 "u8) || id.SequenceEqual("id3 "u8))
                Id3v2.Read(file, offset + 8, tags);
            else if ((id.SequenceEqual("NAME"u8) || id.SequenceEqual("AUTH"u8)) && size <= MaxTextBytes)
                plainTexts.Add((id[0] == 'N' ? "TITLE" : "ARTIST", Encoding.Latin1.GetString(file.Span(offset + 8, (int)size))));
            offset += 8 + size + (size & 1);
        }
        tags.AddFields(plainTexts);
        if (codec is null || soundBytes is not { } bytes || channels <= 0 || bitsPerSample <= 0 || sampleRateHz is not (>= 1 and <= 1e6)) return null;
        var frameBytes = channels * ((bitsPerSample + 7) / 8);
        var heldFrames = Math.Min(frames, bytes / frameBytes);
        var rateHz = (int)Math.Round(sampleRateHz);
        return new AudioProperties(heldFrames / sampleRateHz, rateHz, channels, (int)Math.Min(int.MaxValue, (long)rateHz * frameBytes * 8), codec, "aiff",
            tags.Build());
    }

    /// <summary>An IEEE 754 80-bit extended float, big-endian (sign and 15-bit exponent, then a 64-bit mantissa with its leading 1).</summary>
    internal static double ExtendedFloat(ReadOnlySpan<byte> bytes)
    {
        var exponent = ((bytes[0] & 0x7F) << 8) | bytes[1];
        var mantissa = BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]);
        if (exponent == 0 && mantissa == 0) return 0;
        var value = mantissa * Math.Pow(2, exponent - 16383 - 63);
        return (bytes[0] & 0x80) != 0 ? -value : value;
    }

    /// <summary>An AIFF-C compression type as ffprobe names its codec; null for a compressed one, which ffprobe reads.</summary>
    private static string? CodecName(string compression, int bitsPerSample) => compression switch
    {
        "NONE" or "twos" => PcmName(bitsPerSample, bigEndian: true),
        "sowt" => PcmName(bitsPerSample, bigEndian: false),
        "fl32" or "FL32" => "pcm_f32be",
        "fl64" or "FL64" => "pcm_f64be",
        _ => null,
    };

    private static string? PcmName(int bitsPerSample, bool bigEndian) => bitsPerSample switch
    {
        8 => "pcm_s8",
        16 or 24 or 32 => $"pcm_s{bitsPerSample}{(bigEndian ? "be" : "le")}",
        _ => null,
    };
}
