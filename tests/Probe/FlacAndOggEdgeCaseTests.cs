using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Probe;

/// <summary>
/// FLAC and Ogg files whose headers do not tell the truth, made by ffmpeg from real Wesnoth music: a streamed FLAC
/// (STREAMINFO's sample count 0), a FLAC whose STREAMINFO promises more samples than it holds, an Ogg cut short.
/// </summary>
public class FlacAndOggEdgeCaseTests
{
    private readonly AudioProber _prober = new(new FfprobeReader());

    private static string RealTrack => Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).First();

    /// <summary>Samples per channel in a decoded file, as ffmpeg counts them.</summary>
    private static long FfmpegSamples(string path) =>
        Tools.RunBytes("ffmpeg", "-v", "error", "-i", path, "-f", "s16le", "-ac", "1", "pipe:1").LongLength / 2;

    private static long StreamInfoSamples(byte[] flac) =>
        ((long)(flac[8 + 13] & 0x0F) << 32) | ((long)flac[8 + 14] << 24) | ((long)flac[8 + 15] << 16) | ((long)flac[8 + 16] << 8) | flac[8 + 17];

    [Fact]
    public void A_streamed_flac_is_timed_from_its_last_frame_and_decoded()
    {
        using var folder = new TempFolder();
        var bytes = Tools.RunBytes("ffmpeg", "-v", "error", "-i", RealTrack, "-t", "40", "-f", "flac", "-");
        var path = folder.Write("streamed.flac", bytes);
        Assert.Equal(0, StreamInfoSamples(bytes)); // what makes it a streamed FLAC

        var outcome = _prober.Probe(path);
        Assert.Null(outcome.Error);
        Assert.Equal(ProbeMethod.Header, outcome.Method);
        var properties = outcome.Properties!;
        Assert.Equal(44100 * 40, (long)Math.Round(properties.DurationSeconds * properties.SampleRateHz));
        Assert.Equal(FfmpegSamples(path), (long)Math.Round(properties.DurationSeconds * properties.SampleRateHz));

        using var crop = new CropDecoder(new AudioDecoder(), new CropSpec(CropSeconds: 30)).Decode(path, properties);
        Assert.Equal(5.0, crop.StartSeconds, 3);
        Assert.Equal(30.0, crop.LengthSeconds, 2);
    }

    [Fact]
    public void A_streamed_flac_cut_inside_its_last_frame_is_corrupt_and_truncated()
    {
        using var folder = new TempFolder();
        var bytes = Tools.RunBytes("ffmpeg", "-v", "error", "-i", RealTrack, "-t", "40", "-f", "flac", "-");
        // Cut 1000 bytes past two-thirds: inside a frame, whatever the frame sizes.
        var cut = folder.Write("cut.flac", bytes[..(bytes.Length * 2 / 3 + 1000)]);

        var outcome = _prober.Probe(cut);

        Assert.Equal(ErrorCode.FileCorrupt, outcome.Error?.Code);
        Assert.StartsWith("truncated: the streamed FLAC stops inside its last frame", outcome.Error!.Message);

        // Whole, with a tag after its last frame (as some taggers append one), it is no truncated file.
        var tagged = folder.Write("tagged.flac", [.. bytes, .. ApeWriter.Tag(new Dictionary<string, string> { ["Title"] = "After the frames" })]);
        Assert.Null(_prober.Probe(tagged).Error);
    }

    [Fact]
    public void A_flac_whose_header_promises_more_samples_than_it_holds_is_corrupt_with_both_lengths()
    {
        using var folder = new TempFolder();
        var path = folder.File("honest.flac");
        Tools.Run("ffmpeg", "-v", "error", "-y", "-i", RealTrack, "-t", "20", "-c:a", "flac", path);
        var bytes = File.ReadAllBytes(path);
        var promised = StreamInfoSamples(bytes) * 3;
        bytes[8 + 13] = (byte)((bytes[8 + 13] & 0xF0) | (int)((promised >> 32) & 0x0F));
        bytes[8 + 14] = (byte)(promised >> 24);
        bytes[8 + 15] = (byte)(promised >> 16);
        bytes[8 + 16] = (byte)(promised >> 8);
        bytes[8 + 17] = (byte)promised;
        var lying = folder.Write("lying.flac", bytes);

        Assert.Equal(20.0, _prober.Probe(path).Properties!.DurationSeconds, 2);
        var outcome = _prober.Probe(lying);
        Assert.Equal(ErrorCode.FileCorrupt, outcome.Error!.Code);
        Assert.Equal("truncated: the FLAC header promises 60.0 s but the stream ends at 20.0 s", outcome.Error.Message);
        Assert.Equal(0, _prober.FfprobeProcesses);
    }

    [Fact]
    public void A_flac_cut_in_half_is_corrupt_and_truncated()
    {
        using var folder = new TempFolder();
        var path = folder.File("whole.flac");
        Tools.Run("ffmpeg", "-v", "error", "-y", "-i", RealTrack, "-t", "20", "-c:a", "flac", path);
        var whole = File.ReadAllBytes(path);
        var outcome = _prober.Probe(folder.Write("half.flac", whole[..(whole.Length / 2)]));
        Assert.Equal(ErrorCode.FileCorrupt, outcome.Error!.Code);
        Assert.StartsWith("truncated: the FLAC header promises 20.0 s but the stream ends at ", outcome.Error.Message);
    }

    [Fact]
    public void An_ogg_cut_to_its_first_30_kb_is_corrupt_and_truncated_not_a_short_track()
    {
        using var folder = new TempFolder();
        var whole = File.ReadAllBytes(RealTrack);
        var cut = folder.Write("cut.ogg", whole[..30_000]);

        Assert.Null(_prober.Probe(RealTrack).Error);
        var outcome = _prober.Probe(cut);
        Assert.Equal(ErrorCode.FileCorrupt, outcome.Error!.Code);
        Assert.StartsWith("truncated: the Ogg stream stops inside a cut-off page after ", outcome.Error.Message);
    }

    [Fact]
    public void An_ogg_cut_on_a_page_boundary_is_read_as_the_shorter_stream_it_holds()
    {
        using var folder = new TempFolder();
        var whole = File.ReadAllBytes(RealTrack);
        // Whole pages and no end-of-stream page: what clip tools write, so the length its pages hold is taken (as ffprobe does).
        var boundary = whole.AsSpan(0, 30_000).LastIndexOf("OggS"u8);
        var path = folder.Write("pages.ogg", whole[..boundary]);
        var outcome = _prober.Probe(path);
        Assert.Null(outcome.Error);
        Assert.Equal(AudioFactory.FfprobeDuration(path), outcome.Properties!.DurationSeconds, 1);
    }

    [Fact]
    public void A_truncated_opus_is_truncated()
    {
        using var folder = new TempFolder();
        var path = folder.File("whole.opus");
        Tools.Run("ffmpeg", "-v", "error", "-y", "-i", RealTrack, "-t", "30", "-c:a", "libopus", "-f", "ogg", path);
        var whole = File.ReadAllBytes(path);
        Assert.Equal(30.0, _prober.Probe(path).Properties!.DurationSeconds, 1);
        var outcome = _prober.Probe(folder.Write("cut.opus", whole[..(whole.Length / 3)]));
        Assert.Equal(ErrorCode.FileCorrupt, outcome.Error!.Code);
        Assert.StartsWith("truncated: ", outcome.Error.Message);
    }
}
