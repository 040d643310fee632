using System.Collections.Concurrent;
using SSIS.Batch.Engine.Pipeline;

namespace SSIS.Batch.Jobs.Progress;

/// <summary>
/// Progress as plain lines (when output is not a terminal): a stage's line (<see cref="ProgressLine"/>, without the bar)
/// at most every two seconds, and when it finishes.
/// </summary>
public sealed class PlainProgress(TextWriter output) : IRunProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private const int Width = 80;
    private readonly ConcurrentDictionary<string, (StageMeter Meter, TimeSpan[] LastPrinted)> _stages = new();
    private readonly Lock _lock = new();

    public void StageStarted(string stage, int totalItems)
    {
        _stages[stage] = (new StageMeter(stage, totalItems), [TimeSpan.Zero]);
        Write($"{stage}: started, {ProgressLine.Count(totalItems)} items");
    }

    public void Advanced(string stage, int items = 1)
    {
        if (!_stages.TryGetValue(stage, out var state)) return;
        state.Meter.Advance(items);
        var snapshot = state.Meter.Snapshot();
        lock (_lock)
        {
            if (snapshot.Elapsed - state.LastPrinted[0] < Interval) return;
            state.LastPrinted[0] = snapshot.Elapsed;
        }
        Write(ProgressLine.Format(snapshot, Width, bar: false).TrimEnd());
    }

    public void FromCache(string stage, int items)
    {
        if (_stages.TryGetValue(stage, out var state)) state.Meter.Cached(items);
    }

    public void StageFinished(string stage)
    {
        if (!_stages.TryGetValue(stage, out var state)) return;
        state.Meter.Finish();
        Write(ProgressLine.Format(state.Meter.Snapshot(), Width, bar: false).TrimEnd() + " done");
    }

    public void Message(string text) => Write(text);

    private void Write(string line)
    {
        lock (_lock) output.WriteLine(line);
    }
}
