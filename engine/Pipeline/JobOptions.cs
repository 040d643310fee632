using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Rating;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>What one run does, already validated (the YAML layer builds it).</summary>
public sealed record JobOptions(
    ITrackCatalog Catalog,
    string OutputFolder,
    string StateFolder,
    int Workers,
    GroupingMode GroupingMode,
    double DurationToleranceSeconds,
    string FfprobePath = "ffprobe",
    FingerprintOptions? Fingerprint = null,
    AnalysisOptions? Analysis = null,
    RetryPolicy? Retries = null,
    bool RetryFailed = false,
    EmbedOptions? Embed = null,
    RatingOptions? Rating = null,
    RecommendOptions? Recommend = null,
    OutputFormats Formats = OutputFormats.Parquet,
    IReadOnlyList<Classify.ClassifierSettings>? Classify = null,
    Segments.SegmentSettings? Segments = null,
    FeaturePacks.FeaturePackOptions? FeaturePacks = null,
    Shards.ShardSpec? Shard = null)
{
    public IReadOnlyList<Classify.ClassifierSettings> Classifiers => Classify ?? [];
    public Segments.SegmentSettings SegmentSettings => Segments ?? new Segments.SegmentSettings();
    public FeaturePacks.FeaturePackOptions FeaturePackSettings => FeaturePacks ?? new FeaturePacks.FeaturePackOptions();

    /// <summary>
    /// This job run as shard <paramref name="shard"/>: its own state folder under the job's (<c>STATE/shards/I-of-N</c>),
    /// which is also where its run.json and manifest go; it writes no library outputs.
    /// </summary>
    public JobOptions AsShard(Shards.ShardSpec shard) =>
        this with { Shard = shard, StateFolder = shard.StateFolder(StateFolder), OutputFolder = shard.StateFolder(StateFolder) };

    public RatingOptions RatingSettings => Rating ?? new RatingOptions();
    public RecommendOptions RecommendSettings => Recommend ?? new RecommendOptions();
    public EmbedOptions EmbedSettings => Embed ?? new EmbedOptions();
    public RetryPolicy RetrySettings => Retries ?? new RetryPolicy();
    public FingerprintOptions FingerprintSettings => Fingerprint ?? new FingerprintOptions();
    public AnalysisOptions AnalysisSettings => Analysis ?? new AnalysisOptions();
}

/// <summary>The fingerprint stage: which audio it takes and when two fingerprints are the same recording.</summary>
public sealed record FingerprintOptions(
    bool Enabled = true,
    FingerprintSource Source = FingerprintSource.Crop,
    DedupeOptions? Matching = null,
    string FfmpegPath = "ffmpeg")
{
    public DedupeOptions MatchingSettings => Matching ?? new DedupeOptions();
}

public static class Workers
{
    /// <summary>The most workers a job may ask for (README "Job config").</summary>
    public const int Max = 512;

    /// <summary>80 % of the cores this process may use, at least one.</summary>
    public static int Default => Math.Max(1, (int)Math.Floor(0.8 * Environment.ProcessorCount));
}
