using System.Globalization;
using System.Runtime.InteropServices;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Tests.Probe;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Analysis;

public class CropDecoderTests(ProbeFixture fixture) : IClassFixture<ProbeFixture>
{
    private readonly AudioProber _prober = new(new FfprobeReader());

    /// <summary>ffmpeg's decode of the same span, at the crop's rate and channel count.</summary>
    private static float[] FfmpegSpan(string path, double startSeconds, double lengthSeconds, int channels, int rateHz)
    {
        var bytes = Tools.RunBytes("ffmpeg", "-v", "error", "-ss", startSeconds.ToString("R", CultureInfo.InvariantCulture),
            "-t", lengthSeconds.ToString("R", CultureInfo.InvariantCulture), "-i", path, "-f", "f32le",
            "-ac", channels.ToString(CultureInfo.InvariantCulture), "-ar", rateHz.ToString(CultureInfo.InvariantCulture), "pipe:1");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    /// <summary>The best normalised correlation of two signals within ±<paramref name="maxLag"/> samples.</summary>
    private static double BestCorrelation(float[] a, float[] b, int maxLag)
    {
        var best = -1.0;
        for (var lag = -maxLag; lag <= maxLag; lag++)
        {
            double ab = 0, aa = 0, bb = 0;
            var n = Math.Min(a.Length, b.Length) - Math.Abs(lag) - 1;
            for (var i = 0; i < n; i++)
            {
                var x = a[i + Math.Max(0, lag)];
                var y = b[i + Math.Max(0, -lag)];
                ab += x * y;
                aa += x * x;
                bb += y * y;
            }
            if (aa > 0 && bb > 0) best = Math.Max(best, ab / Math.Sqrt(aa * bb));
        }
        return best;
    }

    [Fact]
    public void The_centre_crop_agrees_with_ffmpegs_decode_of_the_same_span_on_every_codec()
    {
        using var folder = new TempFolder();
        var real = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order().Skip(3).First();
        var files = new List<string> { real };
        foreach (var (name, args) in new[] { ("r.mp3", new[] { "-c:a", "libmp3lame" }), ("r.flac", ["-c:a", "flac"]), ("r.opus", ["-c:a", "libopus"]),
                     ("r.m4a", ["-c:a", "aac"]), ("r.wav", ["-c:a", "pcm_s16le"]) })
        {
            Tools.Run("ffmpeg", ["-v", "error", "-y", "-i", real, "-t", "90", .. args, folder.File(name)]);
            files.Add(folder.File(name));
        }
        var decoder = new CropDecoder(new AudioDecoder(), new CropSpec(CropSeconds: 10));
        foreach (var file in files)
        {
            var properties = _prober.Probe(file).Properties!;
            using var crop = decoder.Decode(file, properties);
            // libsndfile cannot open M4A (and rejects some Opus files as malformed): those go to the ffmpeg pipe.
            if (!file.EndsWith(".m4a") && !file.EndsWith(".opus")) Assert.Equal(SndfileSource.Name, crop.Decoder);
            Assert.Contains(crop.Decoder, new[] { SndfileSource.Name, FfmpegPipeSource.Name });
            Assert.InRange(crop.LengthSeconds, 9.9, 10.01);
            var reference = FfmpegSpan(file, crop.StartSeconds, 10, crop.Channels, crop.SampleRateHz);
            var left = Enumerable.Range(0, crop.Frames).Select(i => crop.Interleaved[i * crop.Channels]).ToArray();
            var referenceLeft = Enumerable.Range(0, reference.Length / crop.Channels).Select(i => reference[i * crop.Channels]).ToArray();
            var correlation = BestCorrelation(left, referenceLeft, maxLag: crop.SampleRateHz / 20);
            Assert.True(correlation >= 0.99, $"{Path.GetFileName(file)}: correlation {correlation:0.0000} with ffmpeg's decode");
        }
    }

    [Fact]
    public void Too_short_too_long_corrupt_and_missing_files_get_their_codes()
    {
        using var folder = new TempFolder();
        var decoder = new CropDecoder(new AudioDecoder(), new CropSpec(MaxDurationSeconds: 60));
        AudioDecodeException Fails(string path, AudioProperties properties) => Assert.Throws<AudioDecodeException>(() => decoder.Decode(path, properties));

        var tone = fixture.Files["flac"];
        var properties = _prober.Probe(tone).Properties!;
        Assert.Equal(ErrorCode.FileTooLong, Fails(tone, properties with { DurationSeconds = 1200 }).Code);
        Assert.Equal(ErrorCode.FileTooShort, Fails(tone, properties with { DurationSeconds = 0.5 }).Code);
        Assert.Equal(ErrorCode.FileMissing, Fails(folder.File("gone.flac"), properties).Code);

        var whole = File.ReadAllBytes(fixture.Files["cbr.mp3"]);
        var truncated = folder.Write("truncated.mp3", whole[..(whole.Length / 20)]);
        var error = Assert.Throws<AudioDecodeException>(() => decoder.Decode(truncated, _prober.Probe(fixture.Files["cbr.mp3"]).Properties!));
        Assert.Equal(ErrorCode.FileCorrupt, error.Code);
    }

    [Fact]
    public void A_short_file_is_read_whole()
    {
        var path = fixture.Files["mono22k.mp3"];
        using var crop = new CropDecoder(new AudioDecoder(), new CropSpec()).Decode(path, _prober.Probe(path).Properties!);
        Assert.Equal(0, crop.StartSeconds);
        Assert.InRange(crop.LengthSeconds, 4.9, 5.1);
    }
}
