using System.Globalization;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.FeaturePacks;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.FeaturePacks;

/// <summary>
/// A pack of a synthetic file whose content is known minute by minute, read back by an independent reader: the frames
/// match a hand computation of the mel bands, the embedding matches the frames, and reading one minute fetches one row
/// group.
/// </summary>
public class FeaturePackStageTests
{
    // The bands' centres by the HTK mel formula, computed here rather than taken from the engine's filterbank.
    private static double Mel(double hz) => 2595 * Math.Log10(1 + hz / 700);
    private static double Hz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);
    private static double CentreHz(int band) => Hz(Mel(125) + (band + 1) * (Mel(7500) - Mel(125)) / 65);

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// A minute of a tone at band 20's centre, a minute at band 45's centre (half as loud), then 20 s of silence, as
    /// 16 kHz FLAC (ffmpeg's sine has amplitude 1/8).
    /// </summary>
    private static string ThreeParts(TempFolder folder)
    {
        var path = folder.File("parts.flac");
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", $"sine=frequency={F(CentreHz(20))}:sample_rate=16000:duration=60",
            "-f", "lavfi", "-i", $"sine=frequency={F(CentreHz(45))}:sample_rate=16000:duration=60",
            "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono:d=20",
            "-filter_complex", "[1]volume=0.5[quiet];[0][quiet][2]concat=n=3:v=0:a=1", "-c:a", "flac", path);
        return path;
    }

    [Fact]
    public void Each_minute_reads_alone_and_its_frames_peak_in_the_band_of_its_tone()
    {
        using var folder = new TempFolder();
        var audio = ThreeParts(folder);
        var stage = new FeaturePackStage(new FeaturePackOptions(Enabled: true), folder.File("out"));
        var outcome = stage.Write(new FeaturePackInput(7, audio));
        Assert.Null(outcome.Error);
        Assert.Equal(140, outcome.DurationSeconds, 2);
        Assert.Equal(280, outcome.Rows);
        var pack = stage.PathOf(new FeaturePackInput(7, audio));
        Assert.Equal(folder.File("out/feature_packs/7.parquet"), pack);

        var second = PackRangeRead.Read(pack, 60, 120);
        // 60 s row groups, each with its start_s range in the statistics, so a filter on time can skip the others ...
        Assert.Equal([(120L, 0.0, 59.5), (120L, 60.0, 119.5), (40L, 120.0, 139.5)], second.RowGroups.Select(g => (g.Rows, g.Min, g.Max)));
        // ... and the reader fetched bytes of the second group only.
        Assert.NotEmpty(second.Fetched);
        Assert.All(second.Fetched, r => Assert.True(r.Start >= second.RowGroups[1].Start && r.End <= second.RowGroups[1].End,
            $"fetched {r.Start}..{r.End}, outside the second row group {second.RowGroups[1].Start}..{second.RowGroups[1].End}"));
        Assert.Equal(Enumerable.Range(120, 120).Select(r => r * 0.5), second.Rows.Select(r => r.GetProperty("start_s").GetDouble()));
        Assert.All(second.Rows, r => Assert.Equal(r.GetProperty("start_s").GetDouble() + 0.5, r.GetProperty("end_s").GetDouble()));

        var first = PackRangeRead.Read(pack, 0, 60).Rows;
        var silence = PackRangeRead.Read(pack, 120, 140).Rows;
        // Away from the joins (a 25 ms window straddles them), every frame's loudest band is the one centred on its tone.
        Assert.All(first.Where(r => r.GetProperty("start_s").GetDouble() < 59.5).SelectMany(PackRangeRead.Frames), f => Assert.Equal(20, ArgMax(f)));
        Assert.All(second.Rows.Where(r => r.GetProperty("start_s").GetDouble() >= 60.5).SelectMany(PackRangeRead.Frames), f => Assert.Equal(45, ArgMax(f)));
        // A frame in the middle of each tone equals the hand computation over the bands within 30 dB of its peak.
        AssertHandComputed(PackRangeRead.Frames(first[60])[0], CentreHz(20), amplitude: 1 / 8.0);
        AssertHandComputed(PackRangeRead.Frames(second.Rows[60])[0], CentreHz(45), amplitude: 1 / 16.0);
        // Digital silence is the floor in every band.
        Assert.All(silence.Where(r => r.GetProperty("start_s").GetDouble() >= 120.5).SelectMany(PackRangeRead.Frames), f => Assert.All(f, v => Assert.Equal(-100f, v)));

        // Every row holds 50 frames of 64 bands; its embedding is each band's mean then standard deviation over them.
        foreach (var row in first.Concat(second.Rows).Concat(silence))
        {
            var frames = PackRangeRead.Frames(row);
            Assert.Equal(50, frames.Length);
            Assert.All(frames, f => Assert.Equal(64, f.Length));
            var embedding = PackRangeRead.Embedding(row);
            Assert.Equal(128, embedding.Length);
            for (var b = 0; b < 64; b++)
            {
                var mean = frames.Average(f => (double)f[b]);
                Assert.Equal(mean, embedding[b], 0.01);
                Assert.Equal(Math.Sqrt(frames.Average(f => (f[b] - mean) * (f[b] - mean))), embedding[64 + b], 0.01);
            }
        }
    }

    [Fact]
    public void The_last_row_ends_with_the_audio_and_holds_the_frames_centred_before_the_end()
    {
        using var folder = new TempFolder();
        var audio = AudioFactory.Tone(folder.File("short.ogg"), "ogg", 2.23);
        var stage = new FeaturePackStage(new FeaturePackOptions(Enabled: true, RowGroupSeconds: 1), folder.File("out"));
        var outcome = stage.Write(new FeaturePackInput(1, audio));
        Assert.Null(outcome.Error);
        var read = PackRangeRead.Read(stage.PathOf(new FeaturePackInput(1, audio)), 0, 10);
        // Two rows per 1 s row group; the fifth row covers 2.0 s to the end, its frames centred at 2.00 ... 2.22 s.
        Assert.Equal([2L, 2L, 1L], read.RowGroups.Select(g => g.Rows));
        var last = read.Rows[^1];
        Assert.Equal(2.0, last.GetProperty("start_s").GetDouble());
        Assert.Equal(outcome.DurationSeconds, last.GetProperty("end_s").GetDouble(), 6);
        var expectedFrames = (int)Math.Ceiling(Math.Round(outcome.DurationSeconds * 16000) / 160) - 4 * 50;
        Assert.Equal(expectedFrames, PackRangeRead.Frames(last).Length);
        Assert.InRange(expectedFrames, 22, 24);
    }

    [Fact]
    public void A_file_corrupt_in_the_middle_keeps_a_pack_of_what_decoded_before_the_damage()
    {
        using var folder = new TempFolder();
        var damaged = AudioFactory.MidwayDamagedMp3(folder.File("damaged.mp3"), 20, 4000);
        var stage = new FeaturePackStage(new FeaturePackOptions(Enabled: true), folder.File("out"));
        var outcome = stage.Write(new FeaturePackInput(5, damaged));
        Assert.Equal(ErrorCode.FileCorrupt, outcome.Error?.Code);
        Assert.InRange(outcome.DurationSeconds, 5, 15);
        var rows = PackRangeRead.Read(stage.PathOf(new FeaturePackInput(5, damaged)), 0, 60).Rows;
        Assert.Equal(outcome.Rows, rows.Count);
        Assert.Equal(outcome.DurationSeconds, rows[^1].GetProperty("end_s").GetDouble(), 6);
    }

    [Fact]
    public void Frames_do_not_depend_on_how_the_stream_is_cut_and_equal_the_whole_signal_framed_at_once()
    {
        var random = new Random(11);
        var samples = Enumerable.Range(0, 16000 * 3 + 77).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var whole = Frames(samples, [samples.Length]);
        var cut = Frames(samples, [1, 159, 161, 200, 4000, 7, 16000, 3]);
        Assert.Equal(whole.Count, cut.Count);
        Assert.Equal((samples.Length + 159) / 160, whole.Count);
        for (var f = 0; f < whole.Count; f++) Assert.Equal(whole[f], cut[f]);
        // The whole signal framed at once by the engine's STFT, each frame centred at f·160 and zero-padded at both ends.
        var stft = new SSIS.Batch.Engine.Dsp.Stft(16000);
        var mel = new SSIS.Batch.Engine.Dsp.MelFilterbank(16000, stft.FftSize, 64, 125, 7500);
        var power = new float[stft.Bins];
        var expected = new float[64];
        foreach (var f in new[] { 0, 1, 150, whole.Count - 1 })
        {
            stft.Power(samples, f, power);
            SSIS.Batch.Engine.Dsp.SpectralFeatures.LogMelDb(power, mel, expected);
            Assert.Equal(expected, whole[f]);
        }
    }

    /// <summary>The frames of <paramref name="samples"/> pushed in pieces of the given sizes, cycling through them.</summary>
    private static List<float[]> Frames(float[] samples, int[] pieces)
    {
        var logMel = new StreamingLogMel();
        var frames = new List<float[]>();
        for (int offset = 0, i = 0; offset < samples.Length; i++)
        {
            var length = Math.Min(pieces[i % pieces.Length], samples.Length - offset);
            logMel.Push(samples.AsSpan(offset, length), f => frames.Add((float[])f.Clone()));
            offset += length;
        }
        logMel.Finish(f => frames.Add((float[])f.Clone()));
        return frames;
    }

    [Fact]
    public void A_missing_file_is_a_typed_error_and_leaves_no_pack()
    {
        using var folder = new TempFolder();
        var stage = new FeaturePackStage(new FeaturePackOptions(Enabled: true), folder.File("out"));
        var input = new FeaturePackInput(3, folder.File("gone.flac"));
        var outcome = stage.Write(input);
        Assert.Equal(ErrorCode.FileMissing, outcome.Error?.Code);
        Assert.Equal(0, outcome.Rows);
        Assert.False(File.Exists(stage.PathOf(input)));
        Assert.Empty(Directory.GetFiles(folder.File("out/feature_packs")));
    }

    /// <summary>
    /// The frame of a sine of <paramref name="amplitude"/> at <paramref name="frequencyHz"/>, by the definitions rather
    /// than the engine's code: a 400-sample periodic Hann window zero-padded to 512, a direct DFT, |X[k]|², triangular
    /// filters between mel-spaced edges scaled to unit area (2 / width), 10·log10.
    /// </summary>
    private static void AssertHandComputed(float[] frame, double frequencyHz, double amplitude)
    {
        const int window = 400, fft = 512, rate = 16000;
        var x = Enumerable.Range(0, window).Select(n => amplitude * Math.Sin(2 * Math.PI * frequencyHz * n / rate) * (0.5 - 0.5 * Math.Cos(2 * Math.PI * n / window))).ToArray();
        var power = Enumerable.Range(0, fft / 2 + 1).Select(k =>
        {
            double re = 0, im = 0;
            for (var n = 0; n < window; n++)
            {
                re += x[n] * Math.Cos(2 * Math.PI * k * n / fft);
                im -= x[n] * Math.Sin(2 * Math.PI * k * n / fft);
            }
            return re * re + im * im;
        }).ToArray();
        var expected = Enumerable.Range(0, 64).Select(b =>
        {
            var (lower, centre, upper) = (CentreHz(b - 1), CentreHz(b), CentreHz(b + 1));
            var energy = power.Select((p, k) => p * Math.Max(0, Math.Min((k * (double)rate / fft - lower) / (centre - lower), (upper - k * (double)rate / fft) / (upper - centre))) * 2 / (upper - lower)).Sum();
            return 10 * Math.Log10(Math.Max(energy, 1e-10));
        }).ToArray();
        var peak = expected.Max();
        for (var b = 0; b < 64; b++)
            if (expected[b] > peak - 30) Assert.True(Math.Abs(expected[b] - frame[b]) < 0.1, $"band {b}: {frame[b]:0.00} dB, by hand {expected[b]:0.00} dB");
    }

    private static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());
}
