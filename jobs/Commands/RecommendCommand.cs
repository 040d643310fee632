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
            foreach (var r in summary.Recommendations)
            {
                var track = r.Prediction.Track;
                output.WriteLine($"{r.Rank,4}. {r.Prediction.PredictedRating:0.00}  {track.Title ?? track.Path} — {track.Artist}  ({r.Reason})");
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
