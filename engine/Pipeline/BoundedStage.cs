using System.Runtime.ExceptionServices;
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

    /// <summary>
    /// Runs <paramref name="work"/> on every item and hands the results to <paramref name="persistBatch"/>. Results reach
    /// the writer as they finish, so one slow file holds back no other; the returned list is in input order all the same.
    /// If the writer throws (disk full, a locked database) the whole segment is cancelled and its exception is thrown
    /// here: the run ends with that error instead of waiting forever for a writer that no longer takes batches.
    /// <paramref name="keep"/> maps each persisted result to what the next barrier holds of it (a compact form; the full
    /// result is in the store).
    /// </summary>
    public static async Task<IReadOnlyList<TOut>> RunAsync<TIn, TOut>(
        string stageName,
        IReadOnlyList<TIn> items,
        Func<TIn, TOut> work,
        Action<TOut[]> persistBatch,
        int workers,
        IRunProgress progress,
        CancellationToken cancellationToken,
        Func<TOut, TOut>? keep = null)
    {
        var results = new TOut[items.Count];
        using var segment = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var transform = new TransformBlock<int, (int Index, TOut Result)>(i => (i, work(items[i])), new ExecutionDataflowBlockOptions
        {
            MaxDegreeOfParallelism = workers,
            BoundedCapacity = workers * 8,
            CancellationToken = segment.Token,
            EnsureOrdered = false,
        });
        var batch = new BatchBlock<(int Index, TOut Result)>(WriterBatch, new GroupingDataflowBlockOptions
        {
            BoundedCapacity = WriterBatch * 2,
            CancellationToken = segment.Token,
            EnsureOrdered = false,
        });
        var writer = new ActionBlock<(int Index, TOut Result)[]>(done =>
        {
            persistBatch(Array.ConvertAll(done, d => d.Result));
            foreach (var (index, result) in done) results[index] = keep is null ? result : keep(result);
            if (done.Count(d => d.Result is ICachedResult { FromCache: true }) is > 0 and var cached) progress.FromCache(stageName, cached);
            progress.Advanced(stageName, done.Length);
        }, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 1, BoundedCapacity = 2, CancellationToken = segment.Token });

        var link = new DataflowLinkOptions { PropagateCompletion = true };
        transform.LinkTo(batch, link);
        batch.LinkTo(writer, link);
        // Completion only flows forward: without this a faulted writer leaves the blocks before it full and SendAsync waiting forever.
        var cancelOnWriterFault = writer.Completion.ContinueWith(t =>
        {
            if (t.IsFaulted) segment.Cancel();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        progress.StageStarted(stageName, items.Count);
        await using (new Timer(_ => batch.TriggerBatch(), null, FlushInterval, FlushInterval))
        {
            try
            {
                try
                {
                    for (var i = 0; i < items.Count; i++)
                        if (!await transform.SendAsync(i, segment.Token))
                            break;
                    transform.Complete();
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The writer failed and cancelled the segment; its exception is the one to report, below.
                }
                await writer.Completion;
            }
            catch (AggregateException e) when (e.Flatten().InnerExceptions is [var cause])
            {
                // A fault that travelled forward from the work block arrives wrapped once per link; report the cause itself.
                ExceptionDispatchInfo.Throw(cause);
            }
            finally
            {
                await cancelOnWriterFault;
                // A cancelled segment (a failed writer, Ctrl-C) still has items in its workers, which may use per-worker
                // resources (ONNX sessions) the caller releases as soon as this returns: wait for them. Their outcome is
                // the writer's or the cancellation's, reported already.
                await Task.WhenAny(transform.Completion);
            }
        }
        progress.StageFinished(stageName);
        return results;
    }
}
