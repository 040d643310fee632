using SSIS.Batch.Engine.Pipeline.Steps;
using SSIS.Batch.Engine.Shards;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>
/// The one list of a run's steps, in the order they run. Adding a step is a class in Pipeline/Steps and a line here.
/// </summary>
public static class RunSteps
{
    public static readonly IReadOnlyList<IRunStep> InOrder =
    [
        new CatalogStep(),
        new ShardSelectStep(),
        new RelocateStep(),
        new ProbeStep(),
        new GroupStep(),
        new ShardCandidatesStep(),
        new AnalysisStep(),
        new FingerprintStep(),
        new SegmentStep(),
        new FeaturePackStep(),
        new PreviewStep(),
        new ResolveStep(),
        new EmbedStep(),
        new ShardEmbedStep(),
        new ClassifyStep(),
        new SinkStep(),
        new RatingModelStep(),
        new ShardManifestStep(),
        new FeaturePackSweepStep(),
    ];
}
