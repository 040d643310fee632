using SSIS.Batch.Engine.Rating;

namespace SSIS.Batch.Jobs.Commands;

/// <summary><c>ssis recommend OUT [--top-n N] ...</c>: new recommendations from the run's saved rating model, without retraining.</summary>
public static class RecommendCommand
{
    public static int Run(string outputFolder, RecommendOptions options, TextWriter output, TextWriter errors)
    {
        try
        {
            var summary = RatingStep.Recommend(outputFolder, options);
            output.WriteLine($"{summary.Recommended} recommendations from {summary.Predicted} predicted tracks ({summary.Regressor} on {summary.EmbeddingVersion}, " +
                             $"trained on {summary.Rated} rated tracks) → {summary.Xspf}");
            var recommendations = Engine.Native.DuckDb.DuckDbConnection.Open();
            using (recommendations)
            {
                var rows = recommendations.Query($"""
                    SELECT rank, coalesce(title, path), coalesce(artist, ''), round(predicted_rating, 2), reason
                    FROM read_parquet({Engine.Native.DuckDb.DuckDbSql.Literal(Path.Combine(outputFolder, Engine.Output.PredictionsTable.RecommendationsFileName))}) ORDER BY rank
                    """).Rows;
                foreach (var r in rows) output.WriteLine($"{r[0],4}. {r[3]}  {r[1]} — {r[2]}  ({r[4]})");
            }
            return 0;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or InvalidOperationException)
        {
            errors.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
