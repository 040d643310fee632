using System.Text.Json;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Jobs.Commands;

/// <summary><c>ssis status OUT [--json]</c>: the health of the last run written to an output folder.</summary>
public static class StatusCommand
{
    public static int Run(string outputFolder, bool json, TextWriter output, TextWriter errors)
    {
        if (!File.Exists(Path.Combine(outputFolder, RunSummary.FileName)))
        {
            errors.WriteLine($"error: no {RunSummary.FileName} in {outputFolder}: run a job into it first (ssis run CONFIG).");
            return (int)ExitCode.BadConfig;
        }
        var summary = RunSummary.Read(outputFolder);
        var ledger = LedgerReports.Read(summary.StateFolder, summary.RunId);
        var deadLetters = StateStore.ReadDeadLetters(summary.StateFolder);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { run = summary, ledger, deadLetters }, RunSummary.Json));
            return 0;
        }
        var c = summary.Counts;
        output.WriteLine($"Run {summary.RunId} ({summary.StartedUtc:yyyy-MM-dd HH:mm} UTC, {summary.ElapsedSeconds:0.0} s, {summary.Workers} workers) over {summary.Catalog}");
        output.WriteLine($"  success rate: {c.SuccessRate:P1} ({c.Ok} ok, {c.Errors} errors, {c.Skipped} skipped, {c.Unavailable} unavailable; " +
                         "skipped and unavailable files are not counted against it)");
        foreach (var warning in summary.Warnings) output.WriteLine($"  WARNING: {warning}");
        output.WriteLine("  work done in this run, per stage (cached results are not work):");
        foreach (var stage in ledger.Stages.GroupBy(s => s.Stage))
        {
            var files = stage.Sum(s => s.Files);
            var seconds = summary.StageSeconds.GetValueOrDefault(stage.Key);
            var rate = seconds > 0 ? $", {files / seconds:0.0} files/s" : "";
            output.WriteLine($"    {stage.Key,-12} {string.Join(", ", stage.Select(s => $"{s.Status} {s.Files}"))}{rate}");
        }
        var skips = ledger.Errors.Where(e => ErrorCodes.Parse(e.Code).IsSkip()).ToList();
        var failures = ledger.Errors.Except(skips).ToList();
        if (failures.Count > 0)
        {
            output.WriteLine("  errors by code:");
            foreach (var e in failures) output.WriteLine($"    {e.Code,-18} {e.Files,5} ({e.Stage})  e.g. {e.Example}");
        }
        if (skips.Count > 0)
        {
            output.WriteLine("  skipped (left out by a limit, not failed), by reason:");
            foreach (var e in skips) output.WriteLine($"    {e.Code,-18} {e.Files,5} ({e.Stage})  e.g. {e.Example}");
        }
        output.WriteLine($"  dead letters (failed every retry): {deadLetters.Count}");
        foreach (var d in deadLetters.Take(20))
            output.WriteLine($"    {d.ErrorCode,-18} {d.Stage,-12} {d.Attempts} attempts  {d.Path}: {d.ErrorMessage}");
        if (ledger.Slowest.Count > 0)
        {
            output.WriteLine("  slowest files:");
            foreach (var s in ledger.Slowest) output.WriteLine($"    {s.DurationMs,8:0} ms  {s.Stage,-12} {s.Path}");
        }
        return 0;
    }
}
