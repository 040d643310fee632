using SSIS.Batch.Engine.Errors;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>How transient failures (I/O errors, time-outs) are retried: up to <see cref="Attempts"/> tries, waiting
/// <see cref="FirstDelaySeconds"/>, then that times <see cref="Multiplier"/> each further time.</summary>
public sealed record RetryPolicy(int Attempts = 3, double FirstDelaySeconds = 0.5, double Multiplier = 2.0)
{
    /// <summary>Errors worth another try: the file may read fine a moment later.</summary>
    public static bool IsTransient(ErrorCode code) => code is ErrorCode.IoError or ErrorCode.DecodeTimeout;

    /// <summary>The wait before attempt <paramref name="attempt"/> (2, 3, …).</summary>
    public TimeSpan DelayBefore(int attempt) => TimeSpan.FromSeconds(FirstDelaySeconds * Math.Pow(Multiplier, attempt - 2));

    /// <summary>
    /// Runs <paramref name="work"/> until it succeeds, fails with a lasting error, or runs out of attempts; returns the
    /// last result and how many attempts it took. <paramref name="sleep"/> waits between attempts.
    /// </summary>
    public (T Result, int Attempts) Run<T>(Func<T> work, Func<T, FileError?> errorOf, Action<TimeSpan>? sleep = null)
    {
        var attempt = 1;
        while (true)
        {
            var result = work();
            if (errorOf(result) is not { } error || !IsTransient(error.Code) || attempt >= Attempts) return (result, attempt);
            attempt++;
            (sleep ?? Thread.Sleep)(DelayBefore(attempt));
        }
    }
}
