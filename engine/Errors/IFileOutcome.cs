namespace SSIS.Batch.Engine.Errors;

/// <summary>One file's result from a per-file stage: its typed error, if any, and how many attempts it took.</summary>
public interface IFileOutcome<out TSelf> where TSelf : IFileOutcome<TSelf>
{
    FileError? Error { get; }

    /// <summary>The same result, recorded as reached after <paramref name="attempts"/> tries.</summary>
    TSelf WithAttempts(int attempts);
}
