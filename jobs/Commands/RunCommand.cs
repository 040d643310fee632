using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Jobs.Progress;

namespace SSIS.Batch.Jobs.Commands;

/// <summary><c>ssis run CONFIG</c>: runs a job and prints its summary.</summary>
public static class RunCommand
{
    public const int ExitOk = 0;
    public const int ExitConfig = 2;
    public const int ExitCatalog = 3;

    public static async Task<int> RunAsync(string configPath, int? workers, TextWriter output, TextWriter errors, CancellationToken cancellationToken,
        bool retryFailed = false)
    {
        JobOptions options;
        try
        {
            options = JobConfig.Load(configPath, workers, retryFailed);
        }
        catch (ConfigException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return ExitConfig;
        }
        try
        {
            RunSummary? summary = null;
            if (Console.IsOutputRedirected || output != Console.Out)
                summary = await new JobRunner(options, new PlainProgress(output)).RunAsync(cancellationToken);
            else
                await LiveProgress.RunAsync(async progress => summary = await new JobRunner(options, progress).RunAsync(cancellationToken));
            PrintSummary(summary!, options.OutputFolder, output);
            return ExitOk;
        }
        catch (CatalogException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return ExitCatalog;
        }
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
        foreach (var warning in s.Warnings) output.WriteLine($"  WARNING: {warning}");
        if (s.DeadLetters > 0)
            output.WriteLine($"  {s.DeadLetters} dead letters (failed every retry): see 'ssis status', then 'ssis run --retry-failed'");
        output.WriteLine($"  outputs: {string.Join(", ", s.Outputs.Select(o => Path.Combine(outputFolder, o)))}");
    }
}
