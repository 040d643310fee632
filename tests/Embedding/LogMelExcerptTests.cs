using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Embedding.Contrastive;

namespace SSIS.Batch.Tests.Embedding;

/// <summary>The analysis keeps only the frames the excerpt reads (<see cref="LogMelExcerpt.AnalysisFramesRead"/>).</summary>
public class LogMelExcerptTests
{
    /// <param name="seconds">a 30 s crop (more frames than the excerpt's), a clip shorter than the excerpt, and one with an odd frame count</param>
    [Theory]
    [InlineData(30.0)]
    [InlineData(3.0)]
    [InlineData(12.345)]
    public void The_excerpt_of_the_kept_frames_is_the_excerpt_of_them_all(double seconds)
    {
        var random = new Random(11);
        var samples = Enumerable.Range(0, (int)(seconds * FeatureSummary.SampleRateHz))
            .Select(i => (float)(0.3 * Math.Sin(2 * Math.PI * (220 + i % 5000 / 10.0) * i / FeatureSummary.SampleRateHz) + 0.05 * (random.NextDouble() - 0.5)))
            .ToArray();
        var all = FeatureSummary.Compute(samples, _ => Range.All).LogMelDb;
        var kept = FeatureSummary.Compute(samples, LogMelExcerpt.AnalysisFramesRead).LogMelDb;
        Assert.Equal(Math.Min(2 * LogMelExcerpt.MaxFrames, all.Length / 2 * 2), kept.Length);
        Assert.Equal(LogMelExcerpt.FromAnalysisFrames(all).ToBytes(), LogMelExcerpt.FromAnalysisFrames(kept).ToBytes());
    }
}
