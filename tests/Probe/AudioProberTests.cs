using System.Globalization;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Probe.Headers;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Probe;

public class AudioProberTests(ProbeFixture fixture) : IClassFixture<ProbeFixture>
{
    private readonly AudioProber _prober = new(new FfprobeReader());

    public static TheoryData<string, string, int, int> Formats => new()
    {
        { "s16.wav", "pcm_s16le", 44100, 2 },
        { "f32.wav", "pcm_f32le", 44100, 2 },
        { "flac", "flac", 44100, 2 },
        { "cbr.mp3", "mp3", 44100, 2 },
        { "vbr.mp3", "mp3", 44100, 2 },
        { "ogg", "vorbis", 44100, 2 },
        { "opus", "opus", 48000, 2 },
        { "m4a", "aac", 44100, 2 },
        { "mono22k.mp3", "mp3", 22050, 1 },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Header_readers_agree_with_ffprobe_without_starting_it(string format, string codec, int rateHz, int channels)
    {
        var path = fixture.Files[format];
        var outcome = _prober.Probe(path);

        Assert.Null(outcome.Error);
        Assert.Equal(ProbeMethod.Header, outcome.Method);
        Assert.Equal(0, _prober.FfprobeProcesses);
        var p = outcome.Properties!;
        Assert.Equal(codec, p.Codec);
        Assert.Equal(rateHz, p.SampleRateHz);
        Assert.Equal(channels, p.Channels);
        Assert.InRange(p.DurationSeconds, AudioFactory.FfprobeDuration(path) - 0.1, AudioFactory.FfprobeDuration(path) + 0.1);
        Assert.InRange(p.BitRateBps, 8_000, 3_000_000);
    }

    [Fact]
    public void Cbr_mp3_reports_the_frame_bit_rate()
    {
        Assert.Equal(128_000, _prober.Probe(fixture.Files["cbr.mp3"]).Properties!.BitRateBps);
    }

    [Theory]
    [InlineData(2, "128000")] // ffmpeg's default for stereo, in files whose Info frame is a 64 kbps one
    [InlineData(1, "64000")]
    public void A_cbr_mp3_s_rate_is_its_audio_frames_not_its_info_frame(int channels, string ffprobeRate)
    {
        using var folder = new TempFolder();
        var path = folder.File("default-rate.mp3");
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=8", "-ac", channels.ToString(CultureInfo.InvariantCulture),
            "-c:a", "libmp3lame", path);
        Assert.True(File.ReadAllBytes(path).AsSpan(0, 1024).IndexOf("Info"u8) >= 0, "ffmpeg wrote no LAME Info frame");
        Assert.Equal(ffprobeRate, Tools.Run("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=bit_rate", "-of", "csv=p=0", path).Trim());

        Assert.Equal(int.Parse(ffprobeRate, CultureInfo.InvariantCulture), _prober.Probe(path).Properties!.BitRateBps);
    }

    [Theory]
    [InlineData(".flac", "flac", true)]
    [InlineData(".m4a", "aac", true)]
    [InlineData(".mp3", "libmp3lame", true)]
    [InlineData(".ogg", "libvorbis", false)]
    [InlineData(".opus", "libopus", false)]
    public void Cover_art_and_long_tags_do_not_count_in_the_bit_rate(string extension, string encoder, bool picture)
    {
        using var folder = new TempFolder();
        var plain = folder.File("plain" + extension);
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=10", "-ac", "2", "-c:a", encoder, plain);
        var dressed = folder.File("dressed" + extension);
        if (picture)
        {
            // A 512×512 PNG of noise (hundreds of KB, as much as the audio) as the attached cover.
            var cover = folder.File("cover.png");
            Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "nullsrc=s=512x512,geq=random(1)*255:random(2)*255:random(3)*255", "-frames:v", "1", cover);
            Tools.Run("ffmpeg", "-v", "error", "-i", plain, "-i", cover, "-map", "0", "-map", "1", "-c", "copy", "-disposition:v", "attached_pic", dressed);
        }
        else
            Tools.Run("ffmpeg", "-v", "error", "-i", plain, "-c", "copy", "-metadata", "comment=" + new string('x', 100_000), dressed);
        Assert.True(new FileInfo(dressed).Length > new FileInfo(plain).Length + 90_000, "the copy carries no large tag");

        var (plainRate, dressedRate) = (_prober.Probe(plain).Properties!.BitRateBps, _prober.Probe(dressed).Properties!.BitRateBps);

        Assert.InRange(dressedRate, plainRate * 0.97, plainRate * 1.03);
    }

    [Fact]
    public void An_mp3_cut_short_of_the_bytes_its_xing_header_counts_is_corrupt_and_truncated()
    {
        using var folder = new TempFolder();
        var whole = folder.File("whole.mp3");
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=40", "-c:a", "libmp3lame", "-q:a", "2", whole);
        var bytes = File.ReadAllBytes(whole);
        Assert.Null(_prober.Probe(whole).Error);

        var outcome = _prober.Probe(folder.Write("cut.mp3", bytes[..(bytes.Length * 9 / 10)]));

        Assert.Equal(ErrorCode.FileCorrupt, outcome.Error?.Code);
        Assert.StartsWith("truncated: the MP3's Xing header counts", outcome.Error!.Message);
    }

    [Fact]
    public void A_file_with_the_wrong_extension_is_read_by_its_content()
    {
        using var folder = new TempFolder();
        var disguised = folder.File("really flac.mp3");
        File.Copy(fixture.Files["flac"], disguised);
        var outcome = _prober.Probe(disguised);
        Assert.Equal("flac", outcome.Properties!.Codec);
        Assert.Equal(ProbeMethod.Header, outcome.Method);
    }

    [Fact]
    public void An_id3_tagged_flac_is_read_past_the_tag()
    {
        using var folder = new TempFolder();
        var tag = new byte[10 + 300];
        "ID3"u8.CopyTo(tag);
        tag[3] = 4;
        tag[9] = 300 & 0x7F;
        tag[8] = 300 >> 7;
        var path = folder.Write("tagged.flac", [.. tag, .. File.ReadAllBytes(fixture.Files["flac"])]);
        Assert.Equal("flac", _prober.Probe(path).Properties!.Codec);
    }

    [Fact]
    public void Empty_file_is_corrupt()
    {
        using var folder = new TempFolder();
        var outcome = _prober.Probe(folder.Write("empty.mp3", []));
        Assert.Equal(ErrorCode.FileCorrupt, outcome.Error!.Code);
        Assert.Contains("0 bytes", outcome.Error.Message);
    }

    [Fact]
    public void Random_bytes_fall_back_to_ffprobe_and_come_out_corrupt()
    {
        using var folder = new TempFolder();
        var random = new Random(7);
        var bytes = new byte[20_000];
        random.NextBytes(bytes);
        var outcome = _prober.Probe(folder.Write("noise.ogg", bytes));
        Assert.Equal(ProbeMethod.Ffprobe, outcome.Method);
        Assert.Equal(ErrorCode.FileCorrupt, outcome.Error!.Code);
        Assert.Equal(1, _prober.FfprobeProcesses);
    }

    [Fact]
    public void A_text_file_named_mp3_is_corrupt_with_ffprobe_s_reason_and_no_memory_address()
    {
        using var folder = new TempFolder();
        var outcome = _prober.Probe(folder.Write("notes.mp3", "a text file, not an mp3 at all, just some notes\n"u8.ToArray()));
        Assert.Equal(ErrorCode.FileCorrupt, outcome.Error!.Code);
        // ffprobe says "[mp3 @ 0x5590d9e24d00] Failed to read frame size: ...": the address differs in every run.
        Assert.StartsWith("ffprobe: [mp3] ", outcome.Error.Message);
        Assert.DoesNotContain("0x", outcome.Error.Message);
    }

    [Fact]
    public void Truncated_ogg_falls_back_and_never_reports_a_made_up_duration()
    {
        using var folder = new TempFolder();
        var whole = File.ReadAllBytes(fixture.Files["ogg"]);
        var outcome = _prober.Probe(folder.Write("cut.ogg", whole[..200]));
        Assert.True(outcome.Error is not null || outcome.Properties!.DurationSeconds < 1.0,
            $"a 200-byte Ogg head must not claim the whole duration: {outcome}");
    }

    [Fact]
    public void Missing_file_and_directory_get_their_codes()
    {
        using var folder = new TempFolder();
        Assert.Equal(ErrorCode.FileMissing, _prober.Probe(folder.File("nope.mp3")).Error!.Code);
        Directory.CreateDirectory(folder.File("album.mp3"));
        Assert.Equal(ErrorCode.NotAFile, _prober.Probe(folder.File("album.mp3")).Error!.Code);
    }

    [Theory]
    [InlineData("FFFB9064", 1, 3, 128, 44100, false, 417)]
    [InlineData("FFFB92C4", 1, 3, 128, 44100, true, 418)]
    [InlineData("FFF38044", 2, 3, 64, 22050, false, 208)]
    [InlineData("FFF38844", 2, 3, 64, 16000, false, 288)]
    [InlineData("FFFD", 0, 0, 0, 0, false, 0)]
    public void Mpeg_frame_headers_decode_to_the_standard_tables(string hex, int version, int layer, int kbps, int rateHz, bool mono, int frameBytes)
    {
        var header = Mp3HeaderReader.ParseFrameHeader(Convert.FromHexString(hex));
        if (version == 0)
        {
            Assert.Null(header);
            return;
        }
        Assert.Equal((version, layer, kbps, rateHz, mono, frameBytes),
            (header!.Value.Version, header.Value.Layer, header.Value.BitRateKbps, header.Value.SampleRateHz, header.Value.Mono, header.Value.FrameBytes));
    }

    [Fact]
    public void Real_debian_music_and_speech_probe_within_a_tenth_of_a_second_of_ffprobe()
    {
        var files = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Take(12)
            .Concat(Directory.GetFiles(Repo.AsteriskSpeech, "*.wav").Order().Take(12)).ToList();
        Assert.Equal(24, files.Count);
        foreach (var file in files)
        {
            var outcome = _prober.Probe(file);
            Assert.True(outcome.Error is null, $"{file}: {outcome.Error}");
            Assert.Equal(ProbeMethod.Header, outcome.Method);
            var expected = AudioFactory.FfprobeDuration(file);
            Assert.True(Math.Abs(outcome.Properties!.DurationSeconds - expected) <= 0.1,
                string.Create(CultureInfo.InvariantCulture, $"{file}: {outcome.Properties.DurationSeconds} s vs ffprobe {expected} s"));
        }
    }
}
