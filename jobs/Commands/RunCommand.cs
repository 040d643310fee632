using Microsoft.Data.Sqlite;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Shards;
using SSIS.Batch.Engine.State;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Jobs.Progress;

namespace SSIS.Batch.Jobs.Commands;

/// <summary><c>ssis run CONFIG</c>: runs a job and prints its summary.</summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(string configPath, int? workers, TextWriter output, TextWriter errors, CancellationToken cancellationToken,
        bool retryFailed = false, Interruption? interruption = null, string? shard = null, bool json = false)
    {
        JobOptions options;
        try
        {
            options = JobConfig.Load(configPath, workers, retryFailed);
            // A shard from --shard, or from the scheduler's environment (a Slurm array task, a Kubernetes Indexed Job pod).
            if (ShardSpec.Resolve(shard, Environment.GetEnvironmentVariable) is { } spec)
            {
                options = options.AsShard(spec);
                // Said, so a run inside some other array job is not sharded unnoticed.
                if (shard is null) (json ? errors : output).WriteLine($"Running shard {spec} of the job, from the scheduler's environment ({ShardSpec.SourceVariables(Environment.GetEnvironmentVariable)}; --shard I/N overrides it)");
            }
        }
        catch (Exception e) when (e is ConfigException or ShardSpecException)
        {
            errors.WriteLine($"error: {e.Message}");
            return (int)ExitCode.BadConfig;
        }
        return await RunJobAsync(options, output, errors, cancellationToken, interruption, json);
    }

    /// <summary>Runs a loaded job (<c>ssis run</c>, and <c>ssis merge</c> once the shards are imported) and prints its summary.</summary>
    public static async Task<int> RunJobAsync(JobOptions options, TextWriter output, TextWriter errors, CancellationToken cancellationToken,
        Interruption? interruption = null, bool json = false)
    {
        KeptResults? kept = null;
        try
        {
            RunSummary? summary = null;
            // With --json standard output carries the document alone: progress goes to standard error.
            if (json || Console.IsOutputRedirected || output != Console.Out)
                summary = await new JobRunner(options, kept = new KeptResults(new PlainProgress(json ? errors : output))).RunAsync(cancellationToken);
            else
                await LiveProgress.RunAsync(async progress => summary = await new JobRunner(options, kept = new KeptResults(progress)).RunAsync(cancellationToken));
            if (json) output.WriteLine(System.Text.Json.JsonSerializer.Serialize(summary!, RunSummary.Json));
            else PrintSummary(summary!, options.OutputFolder, output);
            if (summary!.ErrorsByCode.GetValueOrDefault(ErrorCode.InternalError.Name()) is > 0 and var internalErrors)
            {
                errors.WriteLine($"error: {internalErrors} file(s) hit an unforeseen error (INTERNAL_ERROR rows in {TracksTable.FileName}, " +
                                 $"see 'ssis status {options.OutputFolder}'); the outputs are written. Please report it with the files.");
                return (int)ExitCode.InternalErrors;
            }
            return (int)ExitCode.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ChildProcesses.KillAll(); // any started after the signal, while the stages wound down
            errors.WriteLine($"interrupted: {kept?.Count ?? 0} results kept; rerun to resume");
            return (int)(interruption?.Reason ?? ExitCode.Interrupted);
        }
        catch (Exception e) when (Failure(e, options) is var (code, message))
        {
            errors.WriteLine($"error: {message}");
            return (int)code;
        }
    }

    /// <summary>The exit code and one-line message for an exception that ends a run.</summary>
    private static (ExitCode, string)? Failure(Exception e, JobOptions options) => e switch
    {
        // Parallel work (PLINQ, several workers) wraps what ended it: the first cause decides, as if it had been thrown alone.
        AggregateException aggregate => Failure(aggregate.Flatten().InnerExceptions[0], options),
        CatalogException => (ExitCode.CatalogUnreadable, e.Message),
        RunLockedException => (ExitCode.StateFolderInUse, e.Message),
        FolderNotWritableException => (ExitCode.OutputNotWritable, e.Message),
        // A missing model or checkpoint the job names; its message says which.
        FileNotFoundException or DirectoryNotFoundException => (ExitCode.Failed, e.Message),
        // What else escapes the stages is the run's own writing: a file's read errors are its rows.
        IOException or UnauthorizedAccessException => (ExitCode.OutputNotWritable, $"writing the results failed: {e.Message.TrimEnd('.')}. " +
            $"Free space or fix the permissions of {options.OutputFolder} and {options.StateFolder}, then run again: finished work is kept and the run resumes."),
        SqliteException { SqliteErrorCode: SqliteReadOnly or SqliteIoError or SqliteFull or SqliteCantOpen } => (ExitCode.OutputNotWritable,
            $"writing the state store in {options.StateFolder} failed: {e.Message.TrimEnd('.')}. Free space or fix its permissions, then run again: finished work is kept."),
        SqliteException { SqliteErrorCode: SqliteCorrupt or SqliteNotADatabase } => (ExitCode.Failed,
            $"the state store {Path.Combine(options.StateFolder, StateStore.FileName)} is damaged ({e.Message.TrimEnd('.')}). " +
            $"Move {options.StateFolder} aside and run again: the run then starts afresh (nothing in the library changes)."),
        // A tool or native library not installed, or a job the engine refuses (e.g. joint mode without the contrastive encoder).
        InvalidOperationException or DllNotFoundException => (ExitCode.Failed, e.Message),
        OutOfMemoryException => null,
        _ => (ExitCode.Failed, $"unexpected {e.GetType().Name}: {e.Message} (please report it)"),
    };

    private const int SqliteReadOnly = 8, SqliteIoError = 10, SqliteCorrupt = 11, SqliteFull = 13, SqliteCantOpen = 14, SqliteNotADatabase = 26;

    /// <summary>Counts the results the stages' writers committed, for the line an interrupted run ends with.</summary>
    private sealed class KeptResults(IRunProgress inner) : IRunProgress
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void StageStarted(string stage, int totalItems) => inner.StageStarted(stage, totalItems);

        public void Advanced(string stage, int items = 1)
        {
            Interlocked.Add(ref _count, items);
            inner.Advanced(stage, items);
        }

        public void FromCache(string stage, int items) => inner.FromCache(stage, items);
        public void StageFinished(string stage) => inner.StageFinished(stage);
        public void Message(string text) => inner.Message(text);
    }

    private static void PrintSummary(RunSummary s, string outputFolder, TextWriter output)
    {
        output.WriteLine($"Run {s.RunId}: {s.Counts.CatalogEntries} catalog entries in {s.ElapsedSeconds:0.0} s");
        output.WriteLine($"  ok {s.Counts.Ok}, errors {s.Counts.Errors}, skipped {s.Counts.Skipped}, unavailable {s.Counts.Unavailable}; " +
                         $"probed now {s.Counts.ProbedNow}, from cache {s.Counts.FromCache}");
        output.WriteLine($"  audio files opened {s.Counters.AudioFilesOpened}, ffprobe processes {s.Counters.FfprobeProcesses}");
        foreach (var (code, count) in s.ErrorsByCode) output.WriteLine($"  {code}: {count}");
        foreach (var (code, count) in s.SkippedByCode) output.WriteLine($"  skipped, {code}: {count}");
        output.WriteLine($"  {s.Groups.Groups} candidate duplicate groups ({s.Groups.Mode}), {s.Groups.Members} members");
        if (s.Analysis is { } a)
            output.WriteLine($"  analysis: {a.Analysed} analysed, {a.FromCache} from cache, {a.Failed} failed; decoded in process {a.DecodedInProcess}, " +
                             $"by ffmpeg {a.DecodedByFfmpeg}; {a.Speech} speech tracks ({a.SpeechDetector})");
        if (s.Dedupe is { } d)
            output.WriteLine($"  fingerprints ({d.Source}): {d.Fingerprinted} of {d.Candidates} candidates ({d.FromCache} from cache, {d.Failed} failed, {d.TooShort} too short); " +
                             $"{d.MatchedByContent} joined by identical content, {d.PairsCompared} pairs compared, {d.DuplicateGroups} duplicate groups, {d.NonCanonical} non-canonical files");
        foreach (var e in s.Embeddings)
            output.WriteLine($"  embeddings {e.ModelVersion}: {e.Computed} computed" + (e.TracksPerSecond is { } rate ? $" ({rate:0.#} tracks/s)" : "") +
                             $", {e.FromStore} from the store" + (e.Training is { } t ? $"; trained on {t.Tracks} tracks, {t.Epochs} epochs, {t.Loss} loss {t.FirstLoss:0.000} → {t.LastLoss:0.000} in {t.Seconds:0.0} s" : ""));
        if (s.Rating is { } r)
            output.WriteLine($"  rating model ({r.Regressor}, {r.EmbeddingVersion}) on {r.Rated} rated tracks: {r.CrossValidated.Describe()}; " +
                             $"{r.Predicted} predicted, {r.Recommended} recommended → {r.Xspf}");
        else if (s.RatingSkipped is { } skipped)
            output.WriteLine($"  no rating model: {skipped}");
        foreach (var warning in s.Warnings) output.WriteLine($"  WARNING: {ConsoleText.OneLine(warning)}");
        if (s.DeadLetters > 0)
            output.WriteLine($"  {s.DeadLetters} dead letters (failed every retry): see 'ssis status', then 'ssis run --retry-failed'");
        output.WriteLine($"  outputs: {string.Join(", ", s.Outputs.Select(o => Path.Combine(outputFolder, o)))}");
        if (File.Exists(Path.Combine(outputFolder, Engine.Report.HtmlReport.FileName))) output.WriteLine($"  report: {Path.Combine(outputFolder, Engine.Report.HtmlReport.FileName)}");
    }
}
