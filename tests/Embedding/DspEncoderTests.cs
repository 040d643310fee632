using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Embedding;

namespace SSIS.Batch.Tests.Embedding;

public class DspEncoderTests
{
    private static TrackAnalysis Analysis(float level) => new(0, 30, "libsndfile", -14 + level, -1, 0, 0.1, 0.1 * level, 0.01, 1500 + 100 * level, 300,
        4000, 0.2, 0.01, 0.005, 1.5, 120, Enumerable.Repeat(level, 20).ToArray(), new float[20], new float[12], Enumerable.Repeat(-40f + level, 64).ToArray(),
        new float[64], new float[32], 0.01, 125, "silero-v5");

    [Fact]
    public void Vectors_have_the_declared_dimension_and_standardise_to_zero_mean_unit_deviation()
    {
        var encoder = new DspEncoder();
        var vectors = encoder.Encode(Enumerable.Range(0, 10).Select(i => new EncoderInput(i, $"/{i}", Analysis(i))).ToList());
        Assert.All(vectors, v => Assert.Equal(encoder.Dimension, v.Length));

        var standardisation = Standardisation.Fit(vectors);
        var standardised = vectors.Select(standardisation.Apply).ToList();
        Assert.Equal(0, standardised.Average(v => v[0]), 4);
        Assert.Equal(1, Math.Sqrt(standardised.Average(v => v[0] * v[0])), 4);
        // MFCC deviations are 0 for every track: a dimension that never varies becomes 0, not NaN.
        Assert.All(standardised, v => Assert.Equal(0f, v[20]));
    }
}
