using System.Buffers.Binary;
using System.Text;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Probe;

/// <summary>
/// Headers malformed where a reader once trusted a size (files ffmpeg made, then patched): the probe types the file or
/// leaves it to ffprobe, and never throws, which in a run is an INTERNAL_ERROR.
/// </summary>
public class MalformedHeaderTests
{
    private readonly AudioProber _prober = new(new FfprobeReader());

    /// <summary>A 3 s tone as ffmpeg writes it in <paramref name="extension"/>'s format, read back as bytes.</summary>
    private static byte[] Encode(TempFolder folder, string extension, params string[] codec)
    {
        var path = folder.File("tone" + extension);
        Tools.Run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=3", .. codec, path]);
        return File.ReadAllBytes(path);
    }

    private static byte[] M4a(TempFolder folder) => Encode(folder, ".m4a", "-c:a", "aac");

    private static int Find(byte[] bytes, string ascii, int from = 0) => bytes.AsSpan(from).IndexOf(Encoding.ASCII.GetBytes(ascii)) + from;

    private ProbeOutcome Probe(TempFolder folder, string name, byte[] bytes) => _prober.Probe(folder.Write(name, bytes));

    [Fact]
    public void An_mp4_sample_entry_shorter_than_its_fields_is_left_to_ffprobe()
    {
        using var folder = new TempFolder();
        var bytes = M4a(folder);
        var stsd = Find(bytes, "stsd");
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(stsd + 12), 20); // the entry's size: under the 36 bytes of its fields

        var outcome = Probe(folder, "short-entry.m4a", bytes);

        Assert.Equal(ProbeMethod.Ffprobe, outcome.Method);
    }

    [Fact]
    public void An_mp4_entry_that_ends_inside_its_esds_box_header_still_names_the_codec()
    {
        using var folder = new TempFolder();
        var bytes = M4a(folder);
        var entry = Find(bytes, "stsd") + 12;
        var esds = Find(bytes, "esds", entry);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(entry), (uint)(esds - entry + 6)); // "esds" and 2 bytes of its version

        var outcome = Probe(folder, "cut-esds.m4a", bytes);

        Assert.Null(outcome.Error);
        Assert.Equal("aac", outcome.Properties!.Codec);
        Assert.Equal(3, outcome.Properties.DurationSeconds, 1);
    }

    [Fact]
    public void An_mp4_that_claims_more_than_a_week_is_not_believed_from_its_header()
    {
        using var folder = new TempFolder();
        var bytes = M4a(folder);
        var mdhd = Find(bytes, "mdhd");
        Assert.Equal(0, bytes[mdhd + 4]); // version 0: 32-bit timescale and duration after the two times
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(mdhd + 16), 1);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(mdhd + 20), uint.MaxValue);

        var outcome = Probe(folder, "136-years.m4a", bytes);

        Assert.Equal(ProbeMethod.Ffprobe, outcome.Method);
    }

    [Fact]
    public void A_fragmented_mp4_is_timed_over_all_its_fragments()
    {
        using var folder = new TempFolder();
        var path = folder.File("fragmented.m4a");
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=8", "-c:a", "aac",
            "-movflags", "+frag_keyframe", "-frag_duration", "100000", path);

        var outcome = _prober.Probe(path);

        Assert.Null(outcome.Error);
        Assert.Equal(8, outcome.Properties!.DurationSeconds, 0.1);
    }

    [Fact]
    public void A_wav_list_chunk_smaller_than_its_info_id_is_stepped_over()
    {
        using var folder = new TempFolder();
        var wav = Encode(folder, ".wav", "-c:a", "pcm_s16le");
        var data = Find(wav, "data");
        byte[] list = [.. "LIST"u8, 2, 0, 0, 0, .. "IN"u8]; // size 2: the "INFO" after its size would run back into the header
        var bytes = wav[..data].Concat(list).Concat(wav[data..]).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));

        var outcome = Probe(folder, "small-list.wav", bytes);

        Assert.Null(outcome.Error);
        Assert.Equal(3, outcome.Properties!.DurationSeconds, 1);
    }

    [Fact]
    public void A_flac_tail_of_a_hundred_thousand_frame_headers_that_never_chain_is_scanned_once()
    {
        using var folder = new TempFolder();
        // STREAMINFO: 4096-sample blocks, frames up to 16 MiB (so the whole 1 MiB tail is scanned), 44.1 kHz, stereo,
        // 16 bits, 0 samples (a streamed FLAC: its length must come from the last frames).
        var streamInfo = new byte[34];
        BinaryPrimitives.WriteUInt16BigEndian(streamInfo, 4096);
        BinaryPrimitives.WriteUInt16BigEndian(streamInfo.AsSpan(2), 4096);
        streamInfo[7] = 0xFF; streamInfo[8] = 0xFF; streamInfo[9] = 0xFF;
        BinaryPrimitives.WriteUInt64BigEndian(streamInfo.AsSpan(10), (44100UL << 44) | (1UL << 41) | (15UL << 36));
        // Frame 0's header, again and again: each one valid (CRC-8 right), none followed by frame 1.
        byte[] frame = [0xFF, 0xF8, 0x19, 0x00, 0x00, 0];
        frame[5] = Crc8(frame.AsSpan(0, 5));
        var bytes = "fLaC"u8.ToArray().Concat(new byte[] { 0x80, 0, 0, 34 }).Concat(streamInfo)
            .Concat(Enumerable.Repeat(frame, (1 << 20) / frame.Length).SelectMany(f => f)).ToArray();

        var outcome = Probe(folder, "many-frame-0s.flac", bytes);

        // Comparing each header with every later one ran past the probe's 30 s header deadline.
        Assert.NotEqual(ErrorCode.DecodeTimeout, outcome.Error?.Code);
    }

    /// <summary>FLAC's frame-header CRC-8 (polynomial x^8 + x^2 + x + 1).</summary>
    private static byte Crc8(ReadOnlySpan<byte> bytes)
    {
        byte crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++) crc = (byte)((crc & 0x80) != 0 ? (crc << 1) ^ 0x07 : crc << 1);
        }
        return crc;
    }
}
