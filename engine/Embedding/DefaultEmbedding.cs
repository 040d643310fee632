using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>Which of a run's embedding versions the commands and the report use when none is named.</summary>
public static class DefaultEmbedding
{
    /// <summary>
    /// The rating model's version when there is one (the space the taste was learnt in; the first of a combined input's
    /// versions), else dsp's (the default encoder), else the first the run computed; null when the run computed none.
    /// </summary>
    public static string? Version(RunSummary run) =>
        run.Rating?.EmbeddingVersion.Split(Rating.RatingDataset.Combined)[0]
        ?? run.Embeddings.Select(e => e.ModelVersion).FirstOrDefault(v => v.StartsWith($"{Encoders.DspName}-", StringComparison.Ordinal))
        ?? run.Embeddings.Select(e => e.ModelVersion).FirstOrDefault();
}
