using System.Collections.Concurrent;
using SSIS.Batch.Engine.Pipeline;
using Spectre.Console;

namespace SSIS.Batch.Jobs.Progress;

/// <summary>A live Spectre.Console display on a terminal: one bar per stage with rate and time left.</summary>
public sealed class LiveProgress(ProgressContext context) : IRunProgress
{
    private readonly ConcurrentDictionary<string, ProgressTask> _tasks = new();

    public static Task RunAsync(Func<IRunProgress, Task> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ItemRateColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(context => work(new LiveProgress(context)));

    public void StageStarted(string stage, int totalItems) => _tasks[stage] = context.AddTask(stage, maxValue: Math.Max(totalItems, 1));

    public void Advanced(string stage, int items = 1)
    {
        if (_tasks.TryGetValue(stage, out var task)) task.Increment(items);
    }

    public void StageFinished(string stage)
    {
        if (_tasks.TryGetValue(stage, out var task)) task.Value = task.MaxValue;
    }

    public void Message(string text) => AnsiConsole.MarkupLineInterpolated($"[grey]{text}[/]");

    /// <summary>Items per second of a task (Spectre's own speed column formats bytes).</summary>
    private sealed class ItemRateColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed ? $"{speed:0}/s" : "", new Style(Color.Grey));
    }
}
