using System.Collections.Concurrent;
using SSIS.Batch.Engine.Pipeline;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace SSIS.Batch.Jobs.Progress;

/// <summary>
/// A live display on a terminal: one line per stage (<see cref="ProgressLine"/>), redrawn four times a second, with the
/// run's messages printed above it.
/// </summary>
public sealed class LiveProgress(IAnsiConsole console) : IRunProgress
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<string, StageMeter> _stages = new();
    private readonly ConcurrentQueue<string> _order = new();
    private readonly Lock _writing = new();

    public static Task RunAsync(Func<IRunProgress, Task> work) => RunAsync(AnsiConsole.Console, work);

    public static async Task RunAsync(IAnsiConsole console, Func<IRunProgress, Task> work)
    {
        var progress = new LiveProgress(console);
        await console.Live(progress.Render()).AutoClear(false).Overflow(VerticalOverflow.Visible).StartAsync(async context =>
        {
            var running = work(progress);
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(Refresh));
                lock (progress._writing) context.UpdateTarget(progress.Render());
            }
            await running;
        });
    }

    public void StageStarted(string stage, int totalItems)
    {
        if (_stages.TryAdd(stage, new StageMeter(stage, totalItems))) _order.Enqueue(stage);
        else _stages[stage] = new StageMeter(stage, totalItems);
    }

    public void Advanced(string stage, int items = 1) => Meter(stage)?.Advance(items);
    public void FromCache(string stage, int items) => Meter(stage)?.Cached(items);
    public void StageFinished(string stage) => Meter(stage)?.Finish();

    public void Message(string text)
    {
        lock (_writing) console.MarkupLineInterpolated($"[grey]{text}[/]");
    }

    private StageMeter? Meter(string stage) => _stages.GetValueOrDefault(stage);

    private IRenderable Render()
    {
        var width = Math.Max(ProgressLine.FixedWidth + 6, console.Profile.Width - 1);
        var lines = _order.Select(name => ProgressLine.Format(_stages[name].Snapshot(), width));
        return new Text(string.Join('\n', lines), new Style(Color.Grey));
    }
}
