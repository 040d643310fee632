using System.Globalization;
using System.Text.Json;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Jobs.Commands;

/// <summary><c>ssis status OUT [--json]</c>: the health of the last run written to an output folder.</summary>
public static class StatusCommand
{
    public static int Run(string outputFolder, bool json, TextWriter output, TextWriter errors)
    {
        if (RunOutputs.Lack(outputFolder, RunSummary.FileName, errors)) return (int)ExitCode.BadConfig;
        var summary = RunSummary.Read(outputFolder);
        var ledger = LedgerReports.Read(summary.StateFolder, summary.RunId);
        var deadLetters = StateStore.ReadDeadLetters(summary.StateFolder);
        // The outputs hold every failure, cached from an earlier run or new; the ledger only this run's work.
        var outputErrors = StatusErrors.Read(outputFolder, ledger);
        var playlistTracks = summary.Rating?.Xspf is { } xspf ? XspfPlaylist.TrackCount(xspf) : null;
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { run = summary, ledger, errors = outputErrors, playlistTracks, deadLetters }, RunSummary.Json));
            return 0;
        }
        var c = summary.Counts;
        output.WriteLine($"Run {summary.RunId} ({summary.StartedUtc:yyyy-MM-dd HH:mm} UTC, {summary.ElapsedSeconds:0.0} s, {summary.Workers} workers) over {summary.Catalog}");
        output.WriteLine($"  success rate: {c.SuccessRate:P1} ({c.Ok} ok, {c.Errors} errors, {c.Skipped} skipped, {c.Unavailable} unavailable; " +
                         "skipped and unavailable files are not counted against it)");
        foreach (var warning in summary.Warnings) output.WriteLine($"  WARNING: {ConsoleText.OneLine(warning)}");
        output.WriteLine("  work done in this run, per stage (cached results are not work):");
        if (c.Relocated > 0) output.WriteLine($"    relocated    {c.Relocated} moved or renamed file(s) kept their results, without being opened");
        if (ledger.Stages.Count == 0) output.WriteLine("    none: every result came from the cache");
        foreach (var stage in ledger.Stages.GroupBy(s => s.Stage))
        {
            var files = stage.Sum(s => s.Files);
            var seconds = summary.StageSeconds.GetValueOrDefault(stage.Key);
            var rate = seconds > 0 ? $", {files / seconds:0.0} files/s" : "";
            output.WriteLine($"    {stage.Key,-12} {string.Join(", ", stage.Select(s => $"{s.Status} {s.Files}"))}{rate}");
        }
        WriteErrors(output, "errors by code (in the outputs; 'cached' ones failed in an earlier run and are not retried without --retry-failed):",
            outputErrors.Where(e => !e.IsSkip).ToList());
        WriteErrors(output, "skipped (left out by a limit, not failed), by reason:", outputErrors.Where(e => e.IsSkip).ToList());
        if (summary.Rating is { } r)
        {
            output.WriteLine($"  rating model: {r.Regressor} on {r.EmbeddingVersion}, trained on {r.Rated} rated tracks; cross-validated {r.CrossValidated.Describe()}");
            var listed = playlistTracks is { } n ? $"{n} tracks" : "missing: run 'ssis recommend' to write it again";
            output.WriteLine($"  playlist: {r.Xspf} ({listed}); {r.Recommended} recommended of {r.Predicted} predicted");
        }
        else output.WriteLine($"  rating model: none ({summary.RatingSkipped ?? "the job does not train one"})");
        output.WriteLine($"  dead letters (failed every retry): {deadLetters.Count}");
        foreach (var d in deadLetters.Take(20))
            output.WriteLine($"    {d.ErrorCode,-18} {d.Stage,-12} {d.Attempts} attempts  {ConsoleText.OneLine(d.Path)}: {d.ErrorMessage}");
        if (ledger.Slowest.Count > 0)
        {
            output.WriteLine("  slowest files in this run (cached results took no time and are not listed):");
            foreach (var s in ledger.Slowest) output.WriteLine($"    {s.DurationMs.ToString(s.DurationMs < 10 ? "0.00" : "0", CultureInfo.InvariantCulture),8} ms  {s.Stage,-12} {ConsoleText.OneLine(s.Path)}");
        }
        else output.WriteLine("  slowest files: none timed in this run (every result came from the cache)");
        return 0;
    }

    private static void WriteErrors(TextWriter output, string heading, IReadOnlyList<StatusError> errors)
    {
        if (errors.Count == 0) return;
        output.WriteLine($"  {heading}");
        foreach (var e in errors)
        {
            var cached = e.Files - e.FilesThisRun;
            var origin = ErrorCodes.Parse(e.Code).IsLimitRefusal() ? "by the job's limits" : cached == 0 ? "new" : e.FilesThisRun == 0 ? "cached" : $"{e.FilesThisRun} new, {cached} cached";
            output.WriteLine($"    {e.Code,-18} {e.Files,5} ({e.Stage}, {origin})  e.g. {ConsoleText.OneLine(e.Example)}");
        }
    }
}
