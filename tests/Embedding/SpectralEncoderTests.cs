using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Tests.Embedding;

public class SpectralEncoderTests
{
    private const int Bands = 64;
    private const int Frames = 100;

    /// <summary>The stored excerpt's length: 7.68 s at 50 frames a second.</summary>
    private const int ExcerptFrames = 384;

    /// <summary>[frames × 64] dB, each value from (frame, band).</summary>
    private static Matrix LogMel(Func<int, int, float> db, int frames = Frames)
    {
        var matrix = new Matrix(frames, Bands);
        for (var f = 0; f < frames; f++)
            for (var b = 0; b < Bands; b++) matrix[f, b] = db(f, b);
        return matrix;
    }

    private static float[] ContrastMeans(float[] v) => v[..SpectralEncoder.BandGroups];
    private static float[] FluxMeans(float[] v) => v[(2 * SpectralEncoder.BandGroups)..(3 * SpectralEncoder.BandGroups)];

    /// <summary>The share (dB) of a band group's level movement at a rate band: 0 is 1–4 Hz, 1 is 4–8 Hz, 2 is 8–16 Hz.</summary>
    private static float Modulation(float[] v, int rate, int group) => v[SpectralEncoder.ModulationOffset + rate * ModulationSpectrum.BandGroups + group];

    private static float OnsetsPerSecond(float[] v) => v[SpectralEncoder.DynamicsOffset];
    private static float LevelRangeDb(float[] v) => v[SpectralEncoder.DynamicsOffset + 2];
    private static float CentroidBand(float[] v) => v[SpectralEncoder.ShapeOffset];
    private static float FlatnessDb(float[] v) => v[SpectralEncoder.ShapeOffset + 4];

    [Fact]
    public void A_flat_steady_spectrum_has_no_contrast_no_flux_no_onsets_and_is_flat()
    {
        var v = SpectralEncoder.Describe(LogMel((_, _) => -30));
        Assert.Equal(new SpectralEncoder().Dimension, v.Length);
        Assert.Equal(58, v.Length);
        Assert.All(v[..SpectralEncoder.TextureValues], x => Assert.Equal(0, x, 5));
        Assert.Equal(0, OnsetsPerSecond(v));
        Assert.Equal(0, LevelRangeDb(v), 4);
        // Equal power in every band: geometric and arithmetic means agree, and the centroid is the middle band.
        Assert.Equal(0, FlatnessDb(v), 3);
        Assert.Equal((Bands - 1) / 2.0, CentroidBand(v), 3);
    }

    [Fact]
    public void A_pure_tone_has_more_contrast_less_flatness_and_its_own_centroid_where_white_noise_has_neither()
    {
        // A tone: one band 60 dB over the floor. White noise: every band near one level, a few dB of random wobble.
        var tone = SpectralEncoder.Describe(LogMel((_, b) => b == 12 ? -10 : -70, ExcerptFrames));
        var random = new Random(5);
        var noise = SpectralEncoder.Describe(LogMel((_, _) => -30 + (float)(random.NextDouble() * 6 - 3), ExcerptFrames));
        Assert.True(ContrastMeans(tone)[1] > ContrastMeans(noise)[1] + 40, $"tone {ContrastMeans(tone)[1]} dB, noise {ContrastMeans(noise)[1]} dB");
        Assert.True(FlatnessDb(tone) < FlatnessDb(noise) - 20, $"tone {FlatnessDb(tone)} dB, noise {FlatnessDb(noise)} dB");
        Assert.InRange(FlatnessDb(noise), -1, 0);
        Assert.Equal(12, CentroidBand(tone), 1);
        Assert.InRange(CentroidBand(noise), 29, 34);
    }

    [Theory]
    [InlineData(2.0, 0)]
    [InlineData(6.25, 1)]
    [InlineData(12.5, 2)]
    public void A_signal_pulsed_at_a_rate_has_most_of_its_modulation_in_that_rate_band(double pulsesPerSecond, int rateBand)
    {
        // Every band on (−20 dB) for the first half of each period and off (−60 dB) for the second.
        var framesPerPulse = SpectralEncoder.FramesPerSecond / pulsesPerSecond;
        var v = SpectralEncoder.Describe(LogMel((f, _) => f % framesPerPulse < framesPerPulse / 2 ? -20 : -60, ExcerptFrames));
        for (var group = 0; group < ModulationSpectrum.BandGroups; group++)
        {
            var shares = Enumerable.Range(0, ModulationSpectrum.Rates.Count).Select(r => Modulation(v, r, group)).ToList();
            Assert.Equal(rateBand, shares.IndexOf(shares.Max()));
            // Most of the movement (a square wave's fundamental holds 81 % of its power) is at the pulse rate.
            Assert.InRange(shares[rateBand], -1.5, 1e-6);
        }
        // Half the frames at −20 dB, half at −60: the loudness range p95 − p10 is the 40 dB between them.
        Assert.Equal(40, LevelRangeDb(v), 3);
    }

    [Fact]
    public void Clicks_twice_a_second_are_two_onsets_a_second_and_too_brief_to_widen_the_loudness_range()
    {
        // A 50 dB click in every band each half second (every 25 frames) over a −60 dB floor.
        var v = SpectralEncoder.Describe(LogMel((f, _) => f % 25 == 0 ? -10 : -60, ExcerptFrames));
        // 16 clicks; the first frame has no frame before it to rise from, so 15 onsets in 7.68 s.
        Assert.Equal(15 / 7.68, OnsetsPerSecond(v), 3);
        Assert.Equal(0, OnsetsPerSecond(SpectralEncoder.Describe(LogMel((_, _) => -60, ExcerptFrames))));
        // 16 frames of 384 are above the 95th percentile's rank: the range p95 − p10 stays on the floor.
        Assert.Equal(0, LevelRangeDb(v), 4);
    }

    [Fact]
    public void One_band_20_dB_above_the_rest_of_its_group_gives_a_contrast_of_20_dB_in_that_group_only()
    {
        // Band 19 is in the third group of eight (16–23): a tone over a flat floor.
        var v = SpectralEncoder.Describe(LogMel((_, b) => b == 19 ? -20 : -40));
        var contrast = ContrastMeans(v);
        Assert.Equal(20, contrast[2], 4);
        Assert.All(contrast.Where((_, g) => g != 2), c => Assert.Equal(0, c, 5));
        Assert.All(FluxMeans(v), f => Assert.Equal(0, f, 5));
    }

    [Fact]
    public void A_group_whose_level_alternates_by_12_dB_has_a_flux_of_12_dB_a_frame_and_the_steady_groups_none()
    {
        // The top group (bands 56–63) switches between −50 and −38 dB every frame, like a fast tremolo.
        var v = SpectralEncoder.Describe(LogMel((f, b) => b >= 56 ? (f % 2 == 0 ? -50 : -38) : -60));
        var flux = FluxMeans(v);
        Assert.Equal(12, flux[7], 4);
        Assert.All(flux[..7], x => Assert.Equal(0, x, 5));
        // Every step is the same size: no deviation.
        Assert.Equal(0, v[3 * SpectralEncoder.BandGroups + 7], 4);
    }

    [Fact]
    public void The_encoder_reads_the_analysis_values_and_says_so_when_a_track_has_none()
    {
        var encoder = new SpectralEncoder();
        Assert.Equal(EncoderReads.Features, encoder.Reads);
        Assert.True(encoder.Standardised);
        Assert.False(new EmbedOptions(Encoders: ["dsp", "spectral"]).ReadsLogMel);
        Assert.True(new EmbedOptions(Encoders: ["dsp", "contrastive"]).ReadsLogMel);
        var values = SpectralEncoder.Describe(LogMel((f, b) => b % 8 == 0 ? -10 : -30));
        var analysis = new TrackAnalysis(0, 30, "libsndfile", -14, -1, 0, 0.1, 0.1, 0.01, 1500, 300, 4000, 0.2, 0.01, 0.005, 1.5, 120, new float[20],
            new float[20], new float[12], new float[64], new float[64], values, 0.01, 125, "silero-v5");
        var error = Assert.Throws<InvalidOperationException>(() => encoder.Encode([new EncoderInput(1, "/music/a.ogg", analysis.WithoutFeatures())]));
        Assert.Contains("/music/a.ogg", error.Message);
        Assert.Equal(values, Assert.Single(encoder.Encode([new EncoderInput(1, "/music/a.ogg", analysis)])));
        Assert.Equal(encoder.Dimension, values.Length);
        Assert.Equal("spectral-v2", encoder.Version);
    }
}
