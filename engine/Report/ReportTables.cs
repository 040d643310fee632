using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Report;

/// <summary>
/// The columns of the run's Parquet outputs the report reads; a table the run did not write reads as empty. Rows come
/// a row group at a time, for the report to count and keep only what it shows, so its memory does not grow with the library.
/// </summary>
internal static class ReportTables
{
    public static IEnumerable<T> Read<T>(string outputFolder, string fileName) where T : class, new()
    {
        var path = Path.Combine(outputFolder, fileName);
        return File.Exists(path) ? ParquetRows.Read<T>(path) : [];
    }

    public sealed class Track
    {
        [JsonPropertyName("track_id")] public long? TrackId { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("title")] public string? Title { get; set; }
        [JsonPropertyName("artist")] public string? Artist { get; set; }
        [JsonPropertyName("genre")] public string? Genre { get; set; }
        [JsonPropertyName("effective_rating")] public float? EffectiveRating { get; set; }
        [JsonPropertyName("duration_s")] public double? DurationSeconds { get; set; }
        [JsonPropertyName("size_bytes")] public long? SizeBytes { get; set; }
        [JsonPropertyName("codec")] public string? Codec { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("error_code")] public string? ErrorCode { get; set; }
        [JsonPropertyName("error_message")] public string? ErrorMessage { get; set; }
        [JsonPropertyName("error_stage")] public string? ErrorStage { get; set; }
        [JsonPropertyName("is_canonical")] public bool? IsCanonical { get; set; }

        /// <summary>The title, else the file name: what a person recognises a track by.</summary>
        public string Name => string.IsNullOrWhiteSpace(Title) ? System.IO.Path.GetFileName(Path ?? "") : Title;
    }

    public sealed class Speech
    {
        [JsonPropertyName("track_id")] public long? TrackId { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("speech_probability")] public double? SpeechProbability { get; set; }
        [JsonPropertyName("is_speech")] public bool? IsSpeech { get; set; }
    }

    public sealed class Duplicate
    {
        [JsonPropertyName("group_id")] public int? GroupId { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("is_canonical")] public bool? IsCanonical { get; set; }
        [JsonPropertyName("similarity")] public double? Similarity { get; set; }
        [JsonPropertyName("offset_s")] public double? OffsetSeconds { get; set; }
        [JsonPropertyName("reason")] public string? Reason { get; set; }
    }

    public sealed class SegmentRow
    {
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("start_s")] public double? StartSeconds { get; set; }
        [JsonPropertyName("end_s")] public double? EndSeconds { get; set; }
        [JsonPropertyName("label")] public string? Label { get; set; }
    }

    public sealed class OutOfFold
    {
        [JsonPropertyName("rating")] public double? Rating { get; set; }
        [JsonPropertyName("predicted_rating")] public double? PredictedRating { get; set; }
    }

    public sealed class Prediction
    {
        [JsonPropertyName("predicted_rating")] public double? PredictedRating { get; set; }
    }

    public sealed class Recommendation
    {
        [JsonPropertyName("rank")] public int? Rank { get; set; }
        [JsonPropertyName("title")] public string? Title { get; set; }
        [JsonPropertyName("artist")] public string? Artist { get; set; }
        [JsonPropertyName("album")] public string? Album { get; set; }
        [JsonPropertyName("predicted_rating")] public double? PredictedRating { get; set; }
        [JsonPropertyName("p_like")] public double? PLike { get; set; }
        [JsonPropertyName("reason")] public string? Reason { get; set; }
    }
}
