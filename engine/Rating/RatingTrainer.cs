using SSIS.Batch.Engine.Embedding;

namespace SSIS.Batch.Engine.Rating;

/// <summary>A rated track's prediction by the cross-validation model that did not see its rating.</summary>
public sealed record OutOfFoldPrediction(long TrackId, string Path, double Rating, double PredictedRating);

/// <summary>Raised when there are too few rated tracks to train; the message says how many there are.</summary>
public sealed class TooFewRatingsException(string message) : Exception(message);

/// <summary>
/// Rated candidates → k-fold out-of-fold predictions (for the scores and the isotonic P(like) calibration) → the
/// final regressor fitted on every rated track.
/// </summary>
public static class RatingTrainer
{
    /// <param name="workers">threads the boosted-trees learners may use</param>
    /// <param name="partLengths">the length of each encoder's vector in a combined input, in order (see <see cref="PartWeighting"/>);
    /// null for one encoder</param>
    /// <param name="cancellationToken">checked between folds and, for the MLP, between epochs</param>
    public static (RatingModel Model, IReadOnlyList<OutOfFoldPrediction> OutOfFold) Train(IReadOnlyList<CandidateTrack> candidates, string embeddingVersion, RatingOptions options,
        int workers, IReadOnlyList<int>? partLengths = null, CancellationToken cancellationToken = default)
    {
        var rated = candidates.Where(c => c.Rating is not null).ToList();
        RequireEnough(rated.Count, $"with a {embeddingVersion} embedding", options);
        var features = PartWeighting.Weigh(Standardisation.Fit(rated.Select(c => c.Vector).ToList()), partLengths ?? []);
        var x = rated.Select(c => features.Apply(c.Vector)).ToList();
        var y = rated.Select(c => c.Rating!.Value).ToList();

        var outOfFold = OutOfFold(rated.Count, options, (_, train, heldOut) =>
        {
            var fitted = Fit(train.Select(i => x[i]).ToList(), train.Select(i => y[i]).ToList(), options, workers, cancellationToken);
            return heldOut.Select(i => fitted.Predict(x[i])).ToList();
        }, cancellationToken);
        var (scores, calibration) = Evaluate(y, outOfFold, options);
        var final = Fit(x, y, options, workers, cancellationToken);
        var model = new RatingModel(embeddingVersion, options.Regressor, features, final.Ridge, final.Mlp?.State, calibration, options.LikeThreshold, rated.Count,
            scores, DateTime.UtcNow) { Trees = final.Trees, Kernel = final.Kernel };
        return (model, rated.Select((c, i) => new OutOfFoldPrediction(c.TrackId, c.Path, y[i], outOfFold[i])).ToList());
    }

    /// <param name="usable">what made a rated track usable besides being canonical and not speech, for the message</param>
    public static void RequireEnough(int rated, string usable, RatingOptions options)
    {
        if (rated < options.MinRated)
            throw new TooFewRatingsException($"Only {rated} rated tracks are usable (canonical, not speech, {usable}); " +
                                             $"the rating model needs at least {options.MinRated} (model.min_rated).");
    }

    /// <summary>
    /// k-fold out-of-fold predictions: <paramref name="fitAndPredict"/>(fold, training indices, held-out indices) fits
    /// without the fold and returns predictions for its held-out indices, in their order.
    /// </summary>
    public static double[] OutOfFold(int count, RatingOptions options, Func<int, IReadOnlyList<int>, IReadOnlyList<int>, IReadOnlyList<double>> fitAndPredict,
        CancellationToken cancellationToken = default)
    {
        var folds = Folds.Assign(count, Math.Min(options.Folds, count), options.Seed);
        var outOfFold = new double[count];
        foreach (var fold in folds.Distinct().Order())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var train = Enumerable.Range(0, count).Where(i => folds[i] != fold).ToList();
            var heldOut = Enumerable.Range(0, count).Where(i => folds[i] == fold).ToList();
            foreach (var (i, predicted) in heldOut.Zip(fitAndPredict(fold, train, heldOut))) outOfFold[i] = predicted;
        }
        return outOfFold;
    }

    /// <summary>The cross-validated scores and the P(like) calibration, both from out-of-fold predictions.</summary>
    public static (RatingScores Scores, IsotonicCalibration Calibration) Evaluate(IReadOnlyList<double> ratings, IReadOnlyList<double> outOfFold,
        RatingOptions options) =>
        (RatingMetrics.Score(ratings, outOfFold, options.LikeThreshold),
            IsotonicCalibration.Fit(outOfFold, ratings.Select(r => r >= options.LikeThreshold).ToList()));

    /// <summary>The configured regressor fitted on standardised features: exactly one of the four is set.</summary>
    private sealed record Fitted(RidgeRegressor? Ridge = null, MlpRegressor? Mlp = null, BoostedTreesRegressor? Trees = null, KernelRidgeRegressor? Kernel = null)
    {
        public double Predict(float[] x) => Ridge?.Predict(x) ?? Mlp?.Predict(x) ?? Kernel?.Predict(x) ?? Trees!.Predict(x);
    }

    private static Fitted Fit(IReadOnlyList<float[]> x, IReadOnlyList<double> y, RatingOptions options, int workers, CancellationToken cancellationToken) =>
        options.Regressor switch
        {
            RegressorKind.Ridge => new Fitted(Ridge: RidgeRegressor.FitWithCrossValidatedLambda(x, y, options.Folds, options.Seed, options.LikeThreshold)),
            RegressorKind.Mlp => new Fitted(Mlp: MlpRegressor.Fit(x, y, options, cancellationToken)),
            RegressorKind.Kernel => new Fitted(Kernel: KernelRidgeRegressor.FitWithCrossValidatedLambda(x, y, options.Folds, options.Seed, options.LikeThreshold)),
            RegressorKind.FastTree or RegressorKind.LightGbm => new Fitted(Trees: BoostedTreesRegressor.Fit(x, y, options, workers)),
            _ => throw new ArgumentException($"The {options.Regressor} regressor trains with its encoder (JointTrainer), not on stored embeddings."),
        };
}
