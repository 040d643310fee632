using SSIS.Batch.Engine.Pipeline;

namespace SSIS.Batch.Tests.Pipeline;

/// <summary>The streaming segment under faults and slow items: it ends with the writer's error, and never waits on one slow file.</summary>
public class BoundedStageTests
{
    // Only a guard so a regression fails instead of hanging the suite; nothing here is timed.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_throwing_persist_callback_ends_the_stage_with_its_error_instead_of_hanging()
    {
        var items = Enumerable.Range(0, 5_000).ToList();
        var diskFull = new IOException("No space left on device");
        var run = BoundedStage.RunAsync("probe", items, i => i, _ => throw diskFull, workers: 2, new RecordingProgress(), CancellationToken.None);

        var thrown = await Assert.ThrowsAsync<IOException>(() => run.WaitAsync(HangGuard));
        Assert.Same(diskFull, thrown);
    }

    [Fact]
    public async Task A_throwing_work_function_ends_the_stage_with_that_exception_unwrapped()
    {
        var items = Enumerable.Range(0, 5_000).ToList();
        var run = BoundedStage.RunAsync<int, int>("probe", items, i => i == 100 ? throw new InvalidDataException("bug on item 100") : i, _ => { },
            workers: 2, new RecordingProgress(), CancellationToken.None);

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() => run.WaitAsync(HangGuard));
        Assert.Equal("bug on item 100", thrown.Message);
    }

    [Fact]
    public async Task A_slow_first_file_does_not_hold_back_the_others_and_results_keep_input_order()
    {
        var items = Enumerable.Range(0, 300).ToList();
        using var othersPersisted = new ManualResetEventSlim();
        var persisted = 0;
        // Item 0 finishes only after every other item has reached the writer: in-order delivery would wait forever.
        var run = BoundedStage.RunAsync("analysis", items,
            i =>
            {
                if (i == 0 && !othersPersisted.Wait(HangGuard)) throw new TimeoutException("later results were held back behind item 0");
                return i * 10;
            },
            batch =>
            {
                if (Interlocked.Add(ref persisted, batch.Length) == items.Count - 1) othersPersisted.Set();
            },
            workers: 2, new RecordingProgress(), CancellationToken.None);

        var results = await run.WaitAsync(HangGuard + HangGuard);
        Assert.Equal(items.Select(i => i * 10), results);
    }

    [Fact]
    public async Task A_cancelled_stage_returns_only_after_its_running_items_finish()
    {
        // The caller releases per-worker resources (ONNX sessions) once the stage returns: an item still running would
        // use them after release (an interrupted run crashed with SIGSEGV that way).
        using var cancel = new CancellationTokenSource();
        var stage = new TaskCompletionSource<Task>();
        var returnedWhileRunning = false;
        var items = Enumerable.Range(0, 5_000).ToList();
        var run = BoundedStage.RunAsync("analysis", items, i =>
        {
            if (i != 50) return i;
            cancel.Cancel();
            // A stage that does not wait for this item completes within this second; one that waits cannot.
            var returned = stage.Task.Result.Wait(TimeSpan.FromSeconds(1)) || stage.Task.Result.IsCompleted;
            returnedWhileRunning = returned;
            return i;
        }, _ => { }, workers: 2, new RecordingProgress(), cancel.Token);
        stage.SetResult(run.ContinueWith(_ => { }, TaskScheduler.Default));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(HangGuard));
        Assert.False(returnedWhileRunning, "the stage returned while an item was still running");
    }

    [Fact]
    public async Task Cancelling_the_run_cancels_the_stage()
    {
        using var cancel = new CancellationTokenSource();
        var items = Enumerable.Range(0, 5_000).ToList();
        var run = BoundedStage.RunAsync("probe", items, i =>
        {
            if (i == 50) cancel.Cancel();
            return i;
        }, _ => { }, workers: 2, new RecordingProgress(), cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(HangGuard));
    }
}
