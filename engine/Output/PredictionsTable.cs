using SSIS.Batch.Engine.Rating;

namespace SSIS.Batch.Engine.Output;

/// <summary>predictions.parquet: the rating model's prediction for every unrated canonical non-speech track; recommendations.parquet: the playlist.</summary>
public static class PredictionsTable
{
    public static string FileName => Schema.ParquetFileName;
    public static string RecommendationsFileName => RecommendationsSchema.ParquetFileName;

    public static readonly TableSchema Schema = new("predictions", "the rating model's prediction for every unrated canonical non-speech track",
    [
        new("track_id", ColumnTypes.Int64, "the track's `track_id` in tracks.parquet"),
        new("path", ColumnTypes.String, "the file"),
        new("title", ColumnTypes.String, "catalog title"),
        new("artist", ColumnTypes.String, "catalog artist"),
        new("predicted_rating", ColumnTypes.Double, "the model's rating, 0..1"),
        new("p_like", ColumnTypes.Double, "calibrated probability that the rating would be at least `model.like_threshold` (isotonic regression on out-of-fold predictions)"),
        new("model_version", ColumnTypes.String, "the embedding version the model reads"),
    ]);

    public static readonly TableSchema RecommendationsSchema = new("recommendations", "the playlist, also written as recommendations.xspf",
    [
        new("rank", ColumnTypes.Int32, "place in the playlist, from 1"),
        new("track_id", ColumnTypes.Int64, "the track's `track_id` in tracks.parquet"),
        new("path", ColumnTypes.String, "the file"),
        new("title", ColumnTypes.String, "catalog title"),
        new("artist", ColumnTypes.String, "catalog artist"),
        new("album", ColumnTypes.String, "catalog album"),
        new("predicted_rating", ColumnTypes.Double, "the model's rating, 0..1"),
        new("p_like", ColumnTypes.Double, "calibrated probability of a like"),
        new("reason", ColumnTypes.String, "the liked tracks it is closest to (cosine over embeddings), e.g. `close to wanderer (Wesnoth), rated 1.0 and sad (Wesnoth), rated 0.8`"),
    ]);

    public static readonly TableSchema OutOfFoldSchema = new("rating_cv",
        "each rated track's out-of-fold prediction: made by the cross-validation model that did not see its rating",
    [
        new("track_id", ColumnTypes.Int64, "the track's `track_id` in tracks.parquet"),
        new("path", ColumnTypes.String, "the file"),
        new("rating", ColumnTypes.Double, "the track's rating, 0..1"),
        new("predicted_rating", ColumnTypes.Double, "the out-of-fold prediction, 0..1 (the scores in model_metrics.json are computed from it)"),
        new("model_version", ColumnTypes.String, "the embedding version the model reads"),
    ]);

    public static IReadOnlyList<string> WriteOutOfFold(string outputFolder, IEnumerable<OutOfFoldPrediction> predictions, string modelVersion, OutputFormats formats) =>
        TableWriter.Write(outputFolder, OutOfFoldSchema, formats, predictions.Select(p => new object?[]
        {
            p.TrackId, p.Path, p.Rating, p.PredictedRating, modelVersion,
        }));

    public static IReadOnlyList<string> Write(string outputFolder, IEnumerable<Prediction> predictions, string modelVersion, OutputFormats formats) =>
        TableWriter.Write(outputFolder, Schema, formats, predictions.Select(p => new object?[]
        {
            p.Track.TrackId, p.Track.Path, p.Track.Title, p.Track.Artist, p.PredictedRating, p.LikeProbability, modelVersion,
        }));

    public static IReadOnlyList<string> WriteRecommendations(string outputFolder, IEnumerable<Recommendation> recommendations, OutputFormats formats) =>
        TableWriter.Write(outputFolder, RecommendationsSchema, formats, recommendations.Select(r => new object?[]
        {
            r.Rank, r.Prediction.Track.TrackId, r.Prediction.Track.Path, r.Prediction.Track.Title, r.Prediction.Track.Artist, r.Prediction.Track.Album,
            r.Prediction.PredictedRating, r.Prediction.LikeProbability, r.Reason,
        }));
}
