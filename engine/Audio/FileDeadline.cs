namespace SSIS.Batch.Engine.Audio;

/// <summary>
/// Runs a blocking call that touches a file (an open, a header read, a native decoder's open and seek) on a thread of
/// its own and stops waiting after a deadline. A thread stuck in the kernel (a hung network mount, a file swapped for a
/// FIFO after it was checked) cannot be interrupted: it is left behind, and whatever it returns when it wakes is
/// disposed, so one such file costs one idle thread instead of the whole run.
/// </summary>
public static class FileDeadline
{
    /// <summary><paramref name="call"/>'s result, or a <see cref="TimeoutException"/> once <paramref name="limit"/> has passed.</summary>
    public static T Run<T>(Func<T> call, TimeSpan limit)
    {
        // LongRunning: a dedicated thread, so a stuck call never holds a thread-pool thread the stages need.
        var task = Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (Task.WaitAny([task], limit) == 0) return task.GetAwaiter().GetResult(); // the call's own exception, unwrapped
        task.ContinueWith(late => (late.Result as IDisposable)?.Dispose(), CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        throw new TimeoutException($"gave up after {limit.TotalSeconds:0} s");
    }
}
