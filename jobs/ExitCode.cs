namespace SSIS.Batch.Jobs;

/// <summary>How <c>ssis</c> ends; the README's "Exit codes" table lists the same values (a test keeps them in step).</summary>
public enum ExitCode
{
    /// <summary>The run finished; file errors are rows, not failures.</summary>
    Ok = 0,
    /// <summary>A tool, library or named model missing, a job the engine refuses, or something no check foresaw (a bug); one line names it.</summary>
    Failed = 1,
    /// <summary>A bad job config or option value, found before any work.</summary>
    BadConfig = 2,
    /// <summary>The catalog (Clementine database or library folder) cannot be read.</summary>
    CatalogUnreadable = 3,
    /// <summary>The output or state folder cannot be written: permissions, a file in its place, a full disk.</summary>
    OutputNotWritable = 4,
    /// <summary>Another run holds the state folder.</summary>
    StateFolderInUse = 5,
    /// <summary>The run finished and wrote its outputs, but some files hit an INTERNAL_ERROR (a bug to report).</summary>
    InternalErrors = 6,
    /// <summary>ssis merge: a shard is missing, unfinished or stale; the lines name each and the command that reruns it.</summary>
    ShardsIncomplete = 7,
    /// <summary>Stopped by Ctrl-C (SIGINT); finished work is kept.</summary>
    Interrupted = 130,
    /// <summary>Stopped by SIGTERM; finished work is kept.</summary>
    Terminated = 143,
}
