using System.Collections.Concurrent;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>
/// Per-worker resources (ONNX sessions, fingerprinters) lent out and taken back. Unlike a ThreadLocal it holds no more
/// instances than ran at once, whichever pool threads the blocks happen to run on over a long run.
/// </summary>
public sealed class WorkerPool<T>(Func<T> create) : IDisposable where T : class
{
    private readonly ConcurrentBag<T> _idle = [];
    private readonly ConcurrentBag<T> _all = [];

    /// <summary>Runs <paramref name="work"/> with an instance no other worker is using.</summary>
    public TResult Use<TResult>(Func<T, TResult> work)
    {
        if (!_idle.TryTake(out var item))
        {
            item = create();
            _all.Add(item);
        }
        try
        {
            return work(item);
        }
        finally
        {
            _idle.Add(item);
        }
    }

    /// <summary>How many instances were ever made.</summary>
    public int Created => _all.Count;

    public void Dispose()
    {
        foreach (var item in _all) (item as IDisposable)?.Dispose();
    }
}
