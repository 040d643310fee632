using System.Threading.Tasks.Dataflow;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>
/// One streaming segment of the graph: a bounded, parallel transform block → batches → a single writer (the one owner
/// of the state store) → the collected results, which the next barrier needs whole. Memory stays bounded by the
/// block capacities however many items flow. A batch is written when it is full or a quarter second old, so a crash
/// loses at most that much finished work.
/// </summary>
public static class BoundedStage
{
    private const int WriterBatch = 64;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<IReadOnlyList<TOut>> RunAsync<TIn, TOut>(
        string stageName,
        IReadOnlyList<TIn> items,
        Func<TIn, TOut> work,
        Action<TOut[]> persistBatch,
        int workers,
        IRunProgress progress,
        CancellationToken cancellationToken)
    {
        var results = new List<TOut>(items.Count);
        var transform = new TransformBlock<TIn, TOut>(work, new ExecutionDataflowBlockOptions
        {
            MaxDegreeOfParallelism = workers,
            BoundedCapacity = workers * 8,
            CancellationToken = cancellationToken,
        });
        var batch = new BatchBlock<TOut>(WriterBatch, new GroupingDataflowBlockOptions
        {
            BoundedCapacity = WriterBatch * 2,
            CancellationToken = cancellationToken,
        });
        var writer = new ActionBlock<TOut[]>(outputs =>
        {
            persistBatch(outputs);
            results.AddRange(outputs);
            progress.Advanced(stageName, outputs.Length);
        }, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 1, BoundedCapacity = 2, CancellationToken = cancellationToken });

        var link = new DataflowLinkOptions { PropagateCompletion = true };
        transform.LinkTo(batch, link);
        batch.LinkTo(writer, link);

        progress.StageStarted(stageName, items.Count);
        await using (new Timer(_ => batch.TriggerBatch(), null, FlushInterval, FlushInterval))
        {
            foreach (var item in items)
                if (!await transform.SendAsync(item, cancellationToken))
                    break;
            transform.Complete();
            await writer.Completion;
        }
        progress.StageFinished(stageName);
        return results;
    }
}
