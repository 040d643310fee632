using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Segments;

/// <summary>previews.parquet: one row per file segmented whole (with segments).</summary>
public static class PreviewsTable
{
    public static string FileName => Schema.ParquetFileName;

    public static readonly TableSchema Schema = new("previews", "one preview clip per file segmented whole",
    [
        new("track_id", ColumnTypes.Int64, "the track's `track_id` in tracks.parquet"),
        new("path", ColumnTypes.String, "the file"),
        new("mode", ColumnTypes.String, "`smart` (chosen by its score), `intro` (after the leading silence) or `fallback` (from the start)"),
        new("start_s", ColumnTypes.Double, "start of the clip, seconds from the start of the file"),
        new("end_s", ColumnTypes.Double, "end of the clip, seconds (exclusive): 60 s after the start for speech content, 30 s for the rest, or the file's end"),
        new("confidence", ColumnTypes.Double, "`smart` speech: the clip's score; `smart` music, `intro` and `fallback`: the share of the clip holding the file's content (speech or music), 0..1"),
        new("reason", ColumnTypes.String, "why this clip, in words"),
    ]);

    public static IReadOnlyList<string> Write(string outputFolder, IEnumerable<PreviewedFile> files, OutputFormats formats) =>
        TableWriter.Write(outputFolder, Schema, formats, files.Where(f => f.Preview is not null).Select(f => new object?[]
        {
            f.Input.TrackId, f.Input.Path, f.Preview!.ModeName, f.Preview.StartSeconds, f.Preview.EndSeconds, f.Preview.Confidence, f.Preview.Reason,
        }));
}
