using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Report;

/// <summary>
/// The library in numbers (as <c>beet stats</c> gives them), counted over every row of a run's tracks.parquet:
/// durations and sizes are those the probe read, so duplicates count as the files on disk they are.
/// </summary>
public sealed record LibraryStats(
    int Tracks,
    int Ok,
    int Errors,
    int Skipped,
    int Unavailable,
    double TotalDurationS,
    long TotalSizeBytes,
    IReadOnlyDictionary<string, int> Codecs,
    int Artists,
    int Albums,
    int Genres,
    int Rated,
    int DuplicateGroups,
    int NonCanonicalCopies,
    int SpeechFiles,
    IReadOnlyDictionary<string, int> ErrorsByCode,
    IReadOnlyDictionary<string, int> SkippedByCode)
{
    public static LibraryStats Read(string outputFolder)
    {
        var rows = ParquetRows.Read<Row>(Path.Combine(outputFolder, TracksTable.FileName)).ToList();
        static IReadOnlyDictionary<string, int> CountBy(IEnumerable<string?> keys) => keys.Where(k => !string.IsNullOrEmpty(k))
            .GroupBy(k => k!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        static int Distinct(IEnumerable<string?> values) =>
            values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var duplicateGroups = rows.Where(r => r.DuplicateGroup is not null).Select(r => r.DuplicateGroup).Distinct().Count();
        return new LibraryStats(
            rows.Count,
            rows.Count(r => r.Status == "ok"),
            rows.Count(r => r.Status == "error"),
            rows.Count(r => r.Status == "skipped"),
            rows.Count(r => r.Status == "unavailable"),
            rows.Sum(r => r.DurationSeconds ?? 0),
            rows.Sum(r => r.SizeBytes ?? 0),
            CountBy(rows.Select(r => r.Codec)),
            Distinct(rows.Select(r => r.Artist)),
            // By name: a soundtrack's tracks often carry each composer as album artist, and are still one album.
            Distinct(rows.Select(r => r.Album)),
            Distinct(rows.Select(r => r.Genre)),
            rows.Count(r => r.Rating is not null),
            duplicateGroups,
            // Every group has one canonical file; is_canonical is null for a skipped member (a byte-identical long file), so count by group.
            rows.Count(r => r.DuplicateGroup is not null) - duplicateGroups,
            rows.Count(r => r.IsSpeech == true),
            CountBy(rows.Where(r => r.Status == "error").Select(r => r.ErrorCode)),
            CountBy(rows.Where(r => r.Status == "skipped").Select(r => r.ErrorCode)));
    }

    private sealed class Row
    {
        [JsonPropertyName("artist")] public string? Artist { get; set; }
        [JsonPropertyName("album")] public string? Album { get; set; }
        [JsonPropertyName("genre")] public string? Genre { get; set; }
        [JsonPropertyName("rating")] public float? Rating { get; set; }
        [JsonPropertyName("size_bytes")] public long? SizeBytes { get; set; }
        [JsonPropertyName("duration_s")] public double? DurationSeconds { get; set; }
        [JsonPropertyName("codec")] public string? Codec { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("error_code")] public string? ErrorCode { get; set; }
        [JsonPropertyName("duplicate_group")] public int? DuplicateGroup { get; set; }
        [JsonPropertyName("is_canonical")] public bool? IsCanonical { get; set; }
        [JsonPropertyName("is_speech")] public bool? IsSpeech { get; set; }
    }
}
