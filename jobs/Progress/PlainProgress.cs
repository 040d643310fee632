using System.Collections.Concurrent;
using System.Diagnostics;
using SSIS.Batch.Engine.Pipeline;

namespace SSIS.Batch.Jobs.Progress;

/// <summary>Progress as plain lines (when output is not a terminal): at most one line per stage every two seconds.</summary>
public sealed class PlainProgress(TextWriter output) : IRunProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, StageState> _stages = new();
    private readonly Lock _lock = new();

    private sealed class StageState(int total)
    {
        public readonly int Total = total;
        public readonly Stopwatch Clock = Stopwatch.StartNew();
        public int Done;
        public TimeSpan LastPrinted;
    }

    public void StageStarted(string stage, int totalItems)
    {
        _stages[stage] = new StageState(totalItems);
        Write($"{stage}: started, {totalItems} items");
    }

    public void Advanced(string stage, int items = 1)
    {
        if (!_stages.TryGetValue(stage, out var state)) return;
        Interlocked.Add(ref state.Done, items);
        if (state.Clock.Elapsed - state.LastPrinted < Interval) return;
        state.LastPrinted = state.Clock.Elapsed;
        Write(Line(stage, state));
    }

    public void StageFinished(string stage)
    {
        if (_stages.TryGetValue(stage, out var state)) Write(Line(stage, state) + " done");
    }

    public void Message(string text) => Write(text);

    private static string Line(string stage, StageState s)
    {
        var percent = s.Total == 0 ? 100 : 100.0 * s.Done / s.Total;
        var rate = s.Done / Math.Max(s.Clock.Elapsed.TotalSeconds, 1e-3);
        return $"{stage}: {s.Done}/{s.Total} ({percent:0}%) {rate:0} items/s";
    }

    private void Write(string line)
    {
        lock (_lock) output.WriteLine(line);
    }
}
