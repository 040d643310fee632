using SSIS.Batch.Engine.Embedding;

namespace SSIS.Batch.Engine.Rating;

/// <summary>Raised when there are too few rated tracks to train; the message says how many there are.</summary>
public sealed class TooFewRatingsException(string message) : Exception(message);

/// <summary>
/// Rated candidates → k-fold out-of-fold predictions (for the scores and the isotonic P(like) calibration) → the
/// final regressor fitted on every rated track.
/// </summary>
public static class RatingTrainer
{
    public static (RatingModel Model, IReadOnlyList<double> OutOfFold) Train(IReadOnlyList<CandidateTrack> candidates, string embeddingVersion, RatingOptions options)
    {
        var rated = candidates.Where(c => c.Rating is not null).ToList();
        if (rated.Count < options.MinRated)
            throw new TooFewRatingsException($"Only {rated.Count} rated tracks are usable (canonical, not speech, with a {embeddingVersion} embedding); " +
                                             $"the rating model needs at least {options.MinRated} (model.min_rated).");
        var features = Standardisation.Fit(rated.Select(c => c.Vector).ToList());
        var x = rated.Select(c => features.Apply(c.Vector)).ToList();
        var y = rated.Select(c => c.Rating!.Value).ToList();

        var folds = Folds.Assign(rated.Count, Math.Min(options.Folds, rated.Count), options.Seed);
        var outOfFold = new double[rated.Count];
        foreach (var fold in folds.Distinct().Order())
        {
            var train = Enumerable.Range(0, rated.Count).Where(i => folds[i] != fold).ToList();
            var (ridgeFold, mlpFold) = Fit(train.Select(i => x[i]).ToList(), train.Select(i => y[i]).ToList(), options);
            foreach (var i in Enumerable.Range(0, rated.Count).Where(i => folds[i] == fold)) outOfFold[i] = ridgeFold?.Predict(x[i]) ?? mlpFold!.Predict(x[i]);
        }
        var scores = RatingMetrics.Score(y, outOfFold, options.LikeThreshold);
        var calibration = IsotonicCalibration.Fit(outOfFold, y.Select(r => r >= options.LikeThreshold).ToList());

        var (ridge, mlp) = Fit(x, y, options);
        var model = new RatingModel(embeddingVersion, options.Regressor, features, ridge, mlp?.State, calibration, options.LikeThreshold, rated.Count, scores, DateTime.UtcNow);
        return (model, outOfFold);
    }

    /// <summary>The configured regressor fitted on (x, y): one of the pair is set.</summary>
    private static (RidgeRegressor?, MlpRegressor?) Fit(IReadOnlyList<float[]> x, IReadOnlyList<double> y, RatingOptions options) =>
        options.Regressor == RegressorKind.Ridge
            ? (RidgeRegressor.FitWithCrossValidatedLambda(x, y, options.Folds, options.Seed), null)
            : (null, MlpRegressor.Fit(x, y, options));
}
