using SSIS.Batch.Engine.Embedding.Contrastive;

namespace SSIS.Batch.Engine.Shards;

/// <summary>
/// What a shard task and the merge ask the scheduler for, estimated from the costs measured by <c>ssis bench library</c>
/// (README "The state folder and scale"): 88 ms of CPU per short clip, a peak of 274 MB with 2 workers, 14 KB more peak
/// memory per catalog entry, an unchanged rerun (what the merge is, apart from the library-wide steps) at 3.7 ms per entry.
/// </summary>
public static class ShardResources
{
    /// <summary>CPU per file budgeted for real songs: a 30 s crop, where the measured clips averaged 12 s (88 ms × 2.5).</summary>
    public const double CpuSecondsPerFile = 0.22;

    /// <summary>Time limits are the estimate times this, so a loaded node or a slow disk does not kill a healthy shard.</summary>
    public const double Headroom = 3;

    public const int MinimumMinutes = 15;

    /// <summary>A shard task's memory: the process and its decoders, plus one ONNX speech session and crop buffers per worker.</summary>
    public static int ShardMemoryMb(int workers) => 512 + 128 * workers;

    /// <summary>
    /// The merge holds every entry's compact records (ids, numbers, short vectors) between the barriers, and trains the
    /// contrastive network (the default's) on at most 1,000 excerpts held as floats (about 100 MB).
    /// </summary>
    public static int MergeMemoryMb(long catalogEntries) => 1024 + ContrastiveTrainingMb + (int)(catalogEntries * 16 / 1024);

    private const int ContrastiveTrainingMb = 128;

    /// <summary>
    /// Training the contrastive network, per track it reads (at most 1,000): 116.5 s for 1,000 tracks on 2 workers
    /// (`ssis bench contrastive`), budgeted for one.
    /// </summary>
    private const double ContrastiveTrainingSecondsPerTrack = 0.25;

    public static int ShardMinutes(long catalogEntries, int shards, int workers) =>
        Minutes(Math.Ceiling(catalogEntries / (double)shards) * CpuSecondsPerFile / workers);

    /// <summary>The merge: the cached per-file pass over the whole catalog, then grouping, training and the outputs.</summary>
    public static int MergeMinutes(long catalogEntries) => Minutes(catalogEntries * 0.005
        + Math.Min(catalogEntries, ContrastiveEncoder.MaxTrainingTracks) * ContrastiveTrainingSecondsPerTrack);

    private static int Minutes(double estimateSeconds) => Math.Max(MinimumMinutes, (int)Math.Ceiling(estimateSeconds * Headroom / 60));
}
