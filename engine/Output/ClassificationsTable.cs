using SSIS.Batch.Engine.Classify;

namespace SSIS.Batch.Engine.Output;

/// <summary>classifications.parquet: the rows of every `classify:` model over the analysed crops.</summary>
public static class ClassificationsTable
{
    public static readonly TableSchema Schema = new("classifications", "one row per classifier, track and window (or track, when pooled)",
    [
        new("track_id", ColumnTypes.Int64, "the track's `track_id` in tracks.parquet"),
        new("path", ColumnTypes.String, "the file"),
        new("classifier", ColumnTypes.String, "the classifier's `name` under `classify:`"),
        new("start_s", ColumnTypes.Double, "start of the window (or of the first window, when pooled), seconds into the file"),
        new("end_s", ColumnTypes.Double, "end of the window (or of the last window, when pooled), seconds into the file"),
        new("label", ColumnTypes.String, "the label with the highest score"),
        new("confidence", ColumnTypes.Float, "that label's score"),
        new("scores", ColumnTypes.FloatList, "every label's score, in the order of the labels file"),
        new("model_version", ColumnTypes.String, "`classify-<name>-<hash>`: the model file, labels and settings"),
    ]);

    public static IReadOnlyList<string> Write(string outputFolder, IEnumerable<ClassifierRun> runs, OutputFormats formats) =>
        TableWriter.Write(outputFolder, Schema, formats, runs.SelectMany(run => run.Tracks.SelectMany(track => track.Rows.Select(row => new object?[]
        {
            track.Track.Track.Track.TrackId, track.Track.Track.Track.Path, run.Name, row.StartSeconds, row.EndSeconds,
            run.Labels[row.Best], row.Scores[row.Best], row.Scores, run.Version,
        }))));
}
