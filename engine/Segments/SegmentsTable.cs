using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Segments;

/// <summary>segments.parquet: one row per segment of each segmented file.</summary>
public static class SegmentsTable
{
    public static string FileName => Schema.ParquetFileName;

    public static readonly TableSchema Schema = new("segments", "one row per segment of each file segmented whole",
    [
        new("track_id", ColumnTypes.Int64, "the file's `track_id` in tracks.parquet"),
        new("path", ColumnTypes.String, "the file"),
        new("start_s", ColumnTypes.Double, "start of the segment, seconds from the start of the file"),
        new("end_s", ColumnTypes.Double, "end of the segment, seconds (exclusive)"),
        new("label", ColumnTypes.String, "`speech`, `music`, `noise` or `silence`"),
        new("confidence", ColumnTypes.Double, "mean smoothed probability of the label over the segment, 0..1"),
        new("model_version", ColumnTypes.String, "the segmenter's weights, `segmenter-` and 12 hex digits of their SHA-256"),
    ]);

    public static IReadOnlyList<string> Write(string outputFolder, IEnumerable<SegmentedFile> files, OutputFormats formats) =>
        TableWriter.Write(outputFolder, Schema, formats, files.SelectMany(f => f.Result.Segments.Select(s => new object?[]
        {
            f.Input.TrackId, f.Result.Path, s.StartSeconds, s.EndSeconds, s.Label.Name(), s.Confidence, f.Result.ModelVersion,
        })));
}
