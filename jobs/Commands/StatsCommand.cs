using System.Globalization;
using System.Text.Json;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Report;

namespace SSIS.Batch.Jobs.Commands;

/// <summary><c>ssis stats OUT [--json]</c>: the library in numbers, from the run's tracks.parquet.</summary>
public static class StatsCommand
{
    public static int Run(string outputFolder, bool json, TextWriter output, TextWriter errors)
    {
        if (RunOutputs.Lack(outputFolder, TracksTable.FileName, errors)) return (int)ExitCode.BadConfig;
        var s = LibraryStats.Read(outputFolder);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(s, RunSummary.Json));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Tracks: {s.Tracks:N0} ({s.Ok:N0} ok, {s.Errors:N0} errors, {s.Skipped:N0} skipped, {s.Unavailable:N0} unavailable)"));
        output.WriteLine(string.Create(c, $"Total time: {s.TotalDurationS / 3600:0.0} hours ({s.TotalDurationS:N0} s)"));
        output.WriteLine(string.Create(c, $"Total size: {s.TotalSizeBytes / 1e6:N1} MB ({s.TotalSizeBytes:N0} bytes)"));
        output.WriteLine($"Codecs: {Counts(s.Codecs, "none probed")}");
        output.WriteLine(string.Create(c, $"Artists: {s.Artists:N0}"));
        output.WriteLine(string.Create(c, $"Albums: {s.Albums:N0}"));
        output.WriteLine(string.Create(c, $"Genres: {s.Genres:N0}"));
        output.WriteLine(string.Create(c, $"Rated: {s.Rated:N0}"));
        output.WriteLine(string.Create(c, $"Duplicates: {s.DuplicateGroups:N0} groups, {s.NonCanonicalCopies:N0} copies beside their canonical file"));
        output.WriteLine(string.Create(c, $"Speech files: {s.SpeechFiles:N0}"));
        output.WriteLine($"Errors by code: {Counts(s.ErrorsByCode, "none")}");
        output.WriteLine($"Skipped by reason: {Counts(s.SkippedByCode, "none")}");
        return 0;
    }

    private static string Counts(IReadOnlyDictionary<string, int> counts, string empty) =>
        counts.Count == 0 ? empty : string.Join(", ", counts.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:N0}")));
}
