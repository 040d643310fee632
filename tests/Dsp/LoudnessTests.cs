using System.Globalization;
using System.Text.RegularExpressions;
using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Dsp;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Dsp;

public class LoudnessTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void A_full_scale_1khz_sine_reads_about_minus_3_lufs_per_channel_and_peak_0_dbfs()
    {
        const int rate = 48000;
        var mono = Enumerable.Range(0, 5 * rate).Select(i => (float)Math.Sin(2 * Math.PI * 1000 * i / rate)).ToArray();
        // BS.1770: a 0 dBFS 1 kHz sine in one channel reads −3.01 LUFS.
        Assert.Equal(-3.01, Loudness.IntegratedLufs(mono, 1, rate), 1);
        Assert.Equal(0, Loudness.SamplePeakDbfs(mono), 2);
        Assert.True(Loudness.ClippingRatio(mono) > 0);
        Assert.Equal(double.NegativeInfinity, Loudness.IntegratedLufs(new float[rate], 1, rate));
    }

    [Fact]
    public void Clipping_ratio_counts_samples_at_full_scale_in_any_position()
    {
        var samples = new float[1003];
        foreach (var i in new[] { 0, 7, 8, 500, 1001, 1002 }) samples[i] = i % 2 == 0 ? 1f : -0.9995f;
        samples[300] = 0.998f;
        Assert.Equal(6.0 / 1003, Loudness.ClippingRatio(samples), 12);
    }

    [Fact]
    public void Silence_ratio_counts_quiet_frames()
    {
        float[] rms = [0.5f, 0.0001f, 0.2f, 0f];
        Assert.Equal(0.5, Loudness.SilenceRatio(rms));
    }

    [Fact]
    public void Integrated_loudness_is_within_one_lu_of_ffmpeg_ebur128_on_real_files()
    {
        var files = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order().Where((_, i) => i % 8 == 1).Take(4)
            .Append(Directory.GetFiles(Repo.AsteriskSpeech, "*.wav").Order().First(f => new FileInfo(f).Length > 200_000)).ToList();
        foreach (var file in files)
        {
            // As the analysis measures it: the centre crop, every channel, at the features rate.
            var properties = new AudioProber(new FfprobeReader()).Probe(file).Properties!;
            using var crop = new CropDecoder(new AudioDecoder(), new CropSpec()).Decode(file, properties);
            using var channels = crop.AtRate(FeatureSummary.SampleRateHz);
            var ours = Loudness.IntegratedLufs(channels.Span, channels.Channels, channels.SampleRateHz);
            var (start, length) = (crop.StartSeconds, crop.LengthSeconds);

            var report = Tools.RunForErrors("ffmpeg", "-nostats", "-hide_banner", "-ss", start.ToString(CultureInfo.InvariantCulture),
                "-t", length.ToString(CultureInfo.InvariantCulture), "-i", file, "-af", "ebur128", "-f", "null", "-");
            var summary = report[report.LastIndexOf("Summary:", StringComparison.Ordinal)..];
            var reference = double.Parse(Regex.Match(summary, @"I:\s+(-?[0-9.]+) LUFS").Groups[1].Value, CultureInfo.InvariantCulture);
            output.WriteLine($"{Path.GetFileName(file)}: ours {ours:0.00} LUFS, ffmpeg {reference:0.00} LUFS");
            Assert.True(Math.Abs(ours - reference) <= 1.0, $"{Path.GetFileName(file)}: ours {ours:0.00} LUFS, ffmpeg {reference:0.00} LUFS");
        }
    }
}
