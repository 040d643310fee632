using SSIS.Batch.Engine.Native.DuckDb;
using SSIS.Batch.Engine.Rating;

namespace SSIS.Batch.Engine.Output;

/// <summary>predictions.parquet: the rating model's prediction for every unrated canonical non-speech track; recommendations.parquet: the playlist.</summary>
public static class PredictionsTable
{
    public const string FileName = "predictions.parquet";
    public const string RecommendationsFileName = "recommendations.parquet";

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("track_id", ColumnType.BigInt, "the track's track_id in tracks.parquet"),
        new("path", ColumnType.Varchar, "the file"),
        new("title", ColumnType.Varchar, "catalog title"),
        new("artist", ColumnType.Varchar, "catalog artist"),
        new("predicted_rating", ColumnType.Double, "the model's rating, 0..1"),
        new("p_like", ColumnType.Double, "calibrated probability that the rating would be at least the like threshold (isotonic on out-of-fold predictions)"),
        new("model_version", ColumnType.Varchar, "the embedding version the model reads"),
    ];

    public static readonly IReadOnlyList<Column> RecommendationColumns =
    [
        new("rank", ColumnType.Integer, "place in the playlist, from 1"),
        new("track_id", ColumnType.BigInt, "the track's track_id in tracks.parquet"),
        new("path", ColumnType.Varchar, "the file"),
        new("title", ColumnType.Varchar, "catalog title"),
        new("artist", ColumnType.Varchar, "catalog artist"),
        new("album", ColumnType.Varchar, "catalog album"),
        new("predicted_rating", ColumnType.Double, "the model's rating, 0..1"),
        new("p_like", ColumnType.Double, "calibrated probability of a like"),
        new("reason", ColumnType.Varchar, "the liked tracks it is closest to (cosine over embeddings)"),
    ];

    public static void Write(string outputFolder, IEnumerable<Prediction> predictions, string modelVersion) =>
        ParquetTableWriter.Write(Path.Combine(outputFolder, FileName), Columns, predictions.Select(p => new object?[]
        {
            p.Track.TrackId, p.Track.Path, p.Track.Title, p.Track.Artist, p.PredictedRating, p.LikeProbability, modelVersion,
        }));

    public static void WriteRecommendations(string outputFolder, IEnumerable<Recommendation> recommendations) =>
        ParquetTableWriter.Write(Path.Combine(outputFolder, RecommendationsFileName), RecommendationColumns, recommendations.Select(r => new object?[]
        {
            r.Rank, r.Prediction.Track.TrackId, r.Prediction.Track.Path, r.Prediction.Track.Title, r.Prediction.Track.Artist, r.Prediction.Track.Album,
            r.Prediction.PredictedRating, r.Prediction.LikeProbability, r.Reason,
        }));
}
