using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Shards;

/// <summary>
/// What one shard does of a job: its catalog entries (by <see cref="ShardKey"/>), and the sizes the whole catalog holds
/// more than once, since only files of equal size can be byte-identical copies and the shard hashes its own such files.
/// </summary>
public sealed class ShardPlan
{
    private readonly HashSet<long> _sharedSizes;

    public ShardSpec Spec { get; }

    /// <summary>This shard's catalog entries, in catalog order.</summary>
    public IReadOnlyList<TrackRecord> Tracks { get; }

    private ShardPlan(ShardSpec spec, IReadOnlyList<TrackRecord> tracks, HashSet<long> sharedSizes)
    {
        Spec = spec;
        Tracks = tracks;
        _sharedSizes = sharedSizes;
    }

    /// <summary>Stats every catalog entry (no file is opened) and keeps the shard's own.</summary>
    public static ShardPlan Of(IReadOnlyList<TrackRecord> catalog, ShardSpec spec, int workers)
    {
        var stamps = Stamps(catalog, workers);
        var sharedSizes = stamps.OfType<FileStamp>().GroupBy(s => s.SizeBytes).Where(g => g.Count() >= 2).Select(g => g.Key).ToHashSet();
        var mine = catalog.Where((t, i) => ShardKey.ShardOf(t, stamps[i], spec.Count) == spec.Index).ToList();
        return new ShardPlan(spec, mine, sharedSizes);
    }

    /// <summary>Every entry's stamp, in catalog order (stats run in parallel: on a network filesystem each is a round trip).</summary>
    public static FileStamp?[] Stamps(IReadOnlyList<TrackRecord> catalog, int workers) =>
        catalog.AsParallel().AsOrdered().WithDegreeOfParallelism(Math.Max(1, workers)).Select(ShardKey.StampOf).ToArray();

    /// <summary>
    /// Which files are duplicate candidates is known from the whole library only, so a shard treats every file it probed
    /// as one: each gets the crop fingerprint (or the acoustid one) the merge may need.
    /// </summary>
    public static IReadOnlyList<CandidateGroup> EveryFileACandidate(IReadOnlyList<ProbedTrack> probed, GroupingMode mode)
    {
        var ok = probed.Where(t => t is { Status: TrackStatus.Ok, Properties: not null, Stamp: not null }).ToList();
        return ok.Count == 0 ? [] : [new CandidateGroup(1, mode, "shard", ok)];
    }

    /// <summary>
    /// Hashes this shard's files whose size another catalog file shares into the shard's content-key cache, which the
    /// merge imports, so the merge reads no file to find byte-identical copies. Returns the files read.
    /// </summary>
    public int HashFilesOfSharedSize(IReadOnlyList<ProbedTrack> probed, string shardStateFolder) =>
        ContentKeys.OfFiles(probed.Where(t => t is { Status: TrackStatus.Ok, Stamp: { } s } && _sharedSizes.Contains(s.SizeBytes)), shardStateFolder).FilesRead;
}
