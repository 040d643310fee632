using System.Diagnostics;

namespace SSIS.Batch.Jobs.Progress;

/// <summary>One stage's counts as the graph reports them; thread-safe. <see cref="Snapshot"/> reads them at one moment.</summary>
public sealed class StageMeter(string name, int total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _done;
    private int _cached;
    private long _finishedTicks = -1;

    public void Advance(int items) => Interlocked.Add(ref _done, items);
    public void Cached(int items) => Interlocked.Add(ref _cached, items);
    public void Finish() => Interlocked.CompareExchange(ref _finishedTicks, _clock.Elapsed.Ticks, -1);

    public StageSnapshot Snapshot()
    {
        var finished = Interlocked.Read(ref _finishedTicks);
        return new StageSnapshot(name, Volatile.Read(ref _done), total, Volatile.Read(ref _cached),
            finished >= 0 ? TimeSpan.FromTicks(finished) : _clock.Elapsed, finished >= 0);
    }
}

/// <summary>
/// A stage at one moment: <paramref name="Done"/> of <paramref name="Total"/> items, <paramref name="Cached"/> of them from
/// the cache. The rate and the time left count the work done only: cached items take no time, and counting them would
/// show a cached rerun at hundreds of thousands of files a second.
/// </summary>
public sealed record StageSnapshot(string Name, int Done, int Total, int Cached, TimeSpan Elapsed, bool Finished)
{
    /// <summary>Below this much time a rate is noise.</summary>
    private static readonly TimeSpan MinimumForRate = TimeSpan.FromSeconds(0.5);

    public int Worked => Math.Max(0, Done - Cached);

    /// <summary>Items worked per second; null before there is a fair measure.</summary>
    public double? RatePerSecond => Worked > 0 && Elapsed >= MinimumForRate ? Worked / Elapsed.TotalSeconds : null;

    /// <summary>Time left at the rate so far, assuming the rest needs work; null when finished or there is no rate yet.</summary>
    public TimeSpan? Remaining => !Finished && Done < Total && RatePerSecond is { } rate ? TimeSpan.FromSeconds((Total - Done) / rate) : null;
}
