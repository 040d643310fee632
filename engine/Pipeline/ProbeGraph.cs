using System.Threading.Tasks.Dataflow;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>
/// catalog → probe (parallel, bounded) → batch → state writer (one owner of the state store) → collected results,
/// which the grouping barrier needs whole.
/// </summary>
public sealed class ProbeGraph(ProbeStage stage, StateStore store, string runId, int workers, IRunProgress progress)
{
    public const string StageName = "probe";
    private const int WriterBatch = 256;

    public async Task<IReadOnlyList<ProbedTrack>> RunAsync(IReadOnlyList<TrackRecord> tracks, CancellationToken cancellationToken)
    {
        var results = new List<ProbedTrack>(tracks.Count);
        var blockOptions = new ExecutionDataflowBlockOptions
        {
            MaxDegreeOfParallelism = workers,
            BoundedCapacity = workers * 8,
            CancellationToken = cancellationToken,
        };
        var probe = new TransformBlock<TrackRecord, ProbedTrack>(stage.Probe, blockOptions);
        var batch = new BatchBlock<ProbedTrack>(WriterBatch, new GroupingDataflowBlockOptions
        {
            BoundedCapacity = WriterBatch * 2,
            CancellationToken = cancellationToken,
        });
        var writer = new ActionBlock<ProbedTrack[]>(items =>
        {
            var fresh = items.Where(t => t is { FromCache: false, Stamp: not null, Outcome: not null })
                .Select(t => (t.Track.Path, t.Stamp!.Value, t.Outcome!, t.StartedUtc, t.ElapsedMs));
            store.SaveProbes(runId, fresh);
            results.AddRange(items);
            progress.Advanced(StageName, items.Length);
        }, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 1, BoundedCapacity = 2, CancellationToken = cancellationToken });

        var link = new DataflowLinkOptions { PropagateCompletion = true };
        probe.LinkTo(batch, link);
        batch.LinkTo(writer, link);

        progress.StageStarted(StageName, tracks.Count);
        foreach (var track in tracks)
            if (!await probe.SendAsync(track, cancellationToken))
                break;
        probe.Complete();
        await writer.Completion;
        progress.StageFinished(StageName);
        return results.OrderBy(t => t.Track.TrackId).ThenBy(t => t.Track.Path, StringComparer.Ordinal).ToList();
    }
}
