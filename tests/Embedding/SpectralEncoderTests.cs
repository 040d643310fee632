using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Tests.Embedding;

public class SpectralEncoderTests
{
    private const int Bands = 64;
    private const int Frames = 100;

    /// <summary>[Frames × 64] dB, each value from (frame, band).</summary>
    private static Matrix LogMel(Func<int, int, float> db)
    {
        var matrix = new Matrix(Frames, Bands);
        for (var f = 0; f < Frames; f++)
            for (var b = 0; b < Bands; b++) matrix[f, b] = db(f, b);
        return matrix;
    }

    private static float[] ContrastMeans(float[] v) => v[..SpectralEncoder.BandGroups];
    private static float[] FluxMeans(float[] v) => v[(2 * SpectralEncoder.BandGroups)..(3 * SpectralEncoder.BandGroups)];

    [Fact]
    public void A_flat_steady_spectrum_has_no_contrast_and_no_flux()
    {
        var v = SpectralEncoder.Describe(LogMel((_, _) => -30));
        Assert.Equal(4 * SpectralEncoder.BandGroups, v.Length);
        Assert.All(v, x => Assert.Equal(0, x, 5));
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
    public void The_encoder_reads_the_analysis_texture_and_says_so_when_a_track_has_none()
    {
        var encoder = new SpectralEncoder();
        Assert.Equal(EncoderReads.Features, encoder.Reads);
        Assert.True(encoder.Standardised);
        Assert.False(new EmbedOptions(Encoders: ["dsp", "spectral"]).ReadsLogMel);
        Assert.True(new EmbedOptions(Encoders: ["dsp", "contrastive"]).ReadsLogMel);
        var texture = SpectralEncoder.Describe(LogMel((f, b) => b % 8 == 0 ? -10 : -30));
        var analysis = new TrackAnalysis(0, 30, "libsndfile", -14, -1, 0, 0.1, 0.1, 0.01, 1500, 300, 4000, 0.2, 0.01, 0.005, 1.5, 120, new float[20],
            new float[20], new float[12], new float[64], new float[64], texture, 0.01, 125, "silero-v5");
        var error = Assert.Throws<InvalidOperationException>(() => encoder.Encode([new EncoderInput(1, "/music/a.ogg", analysis.WithoutFeatures())]));
        Assert.Contains("/music/a.ogg", error.Message);
        Assert.Equal(texture, Assert.Single(encoder.Encode([new EncoderInput(1, "/music/a.ogg", analysis)])));
    }
}
