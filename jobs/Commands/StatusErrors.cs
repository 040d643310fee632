using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// One error code (or skip reason) of a run's outputs: how many rows of tracks.parquet carry it, how many of those this
/// run found itself (the rest are failures cached from an earlier run, which a rerun does not retry), and one example.
/// </summary>
public sealed record StatusError(string Code, string Stage, int Files, int FilesThisRun, string Example, bool IsSkip);

/// <summary>Every error and skip in a run's tracks.parquet, cached or new, counted by code.</summary>
public static class StatusErrors
{
    public static IReadOnlyList<StatusError> Read(string outputFolder, LedgerReport ledger)
    {
        var path = Path.Combine(outputFolder, TracksTable.FileName);
        if (!File.Exists(path)) return [];
        var thisRun = ledger.Errors.GroupBy(e => e.Code).ToDictionary(g => g.Key, g => (Files: g.Sum(e => e.Files), g.First().Stage));
        return ParquetRows.Read<Row>(path)
            .Where(r => r is { Status: "error" or "skipped", ErrorCode: not null })
            .GroupBy(r => r.ErrorCode!)
            .Select(g =>
            {
                var first = g.OrderBy(r => r.Path, StringComparer.Ordinal).First();
                var found = thisRun.GetValueOrDefault(g.Key);
                return new StatusError(g.Key, first.ErrorStage ?? found.Stage ?? "", g.Count(), Math.Min(found.Files, g.Count()),
                    $"{first.Path}: {first.ErrorMessage}", ErrorCodes.Parse(g.Key).IsSkip());
            })
            .OrderByDescending(e => e.Files).ThenBy(e => e.Code, StringComparer.Ordinal)
            .ToList();
    }

    private sealed class Row
    {
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("error_code")] public string? ErrorCode { get; set; }
        [JsonPropertyName("error_message")] public string? ErrorMessage { get; set; }
        [JsonPropertyName("error_stage")] public string? ErrorStage { get; set; }
    }
}
