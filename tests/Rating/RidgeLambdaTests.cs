using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Rating;

namespace SSIS.Batch.Tests.Rating;

/// <summary>Ridge's λ: by the inner folds' AUC of like against the rest when given a like threshold, else by squared error.</summary>
public class RidgeLambdaTests
{
    private static (List<float[]> X, List<double> Y) Tracks(ulong seed, Func<float[], Rng, double> rating)
    {
        var rng = new Rng(seed);
        var x = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 12).Select(_ => (float)rng.NextGaussian()).ToArray()).ToList();
        return (x, x.Select(v => rating(v, rng)).ToList());
    }

    [Fact]
    public void The_lambda_is_the_one_whose_inner_folds_rank_likes_best_ties_to_the_larger()
    {
        // Liked or not by the first value, with the spread within each side (0.8/0.9/1.0, 0.1/0.2/0.3) at random.
        var (x, y) = Tracks(3, (v, rng) => (v[0] + 0.7 * rng.NextGaussian() > 0 ? 0.8 : 0.1) + 0.1 * (int)(rng.NextDouble() * 3));
        var model = RidgeRegressor.FitWithCrossValidatedLambda(x, y, 5, 11, likeThreshold: 0.8);

        var folds = Folds.Assign(x.Count, 5, 11);
        var liked = y.Select(r => r >= 0.8).ToList();
        var outOfFold = RidgeRegressor.LambdaGrid.Select(_ => new double[x.Count]).ToArray();
        foreach (var fold in folds.Distinct())
        {
            var train = Enumerable.Range(0, x.Count).Where(i => folds[i] != fold).ToList();
            var path = RidgeRegressor.FitPath(train.Select(i => x[i]).ToList(), train.Select(i => y[i]).ToList(), RidgeRegressor.LambdaGrid);
            foreach (var i in Enumerable.Range(0, x.Count).Where(i => folds[i] == fold))
                for (var l = 0; l < path.Count; l++) outOfFold[l][i] = path[l].Score(x[i]);
        }
        var aucs = outOfFold.Select(p => Math.Round(RatingMetrics.Auc(liked, p)!.Value, 9)).ToList();
        var expected = RidgeRegressor.LambdaGrid[aucs.LastIndexOf(aucs.Max())];
        Assert.Equal(expected, model.Lambda);
        var full = RidgeRegressor.FitPath(x, y, [expected])[0];
        Assert.Equal(full.Weights, model.Weights);
    }

    [Fact]
    public void Well_separated_likes_take_a_smoother_model_than_squared_error()
    {
        // Liked tracks lie far from the rest on the first value, which any λ ranks; squared error wants a small λ, to fit
        // the spread the second value gives within each side. (A very large λ leaves a near-constant model whose pooled
        // out-of-fold ranking follows each fold's training mean, so AUC does not take the largest either.)
        var (x, y) = Tracks(5, (v, _) =>
        {
            v[0] += v[0] > 0 ? 4 : -4;
            return v[0] > 0 ? 0.9 + 0.03 * v[1] : 0.2 + 0.03 * v[1];
        });
        var byAuc = RidgeRegressor.FitWithCrossValidatedLambda(x, y, 5, 2, likeThreshold: 0.8);
        var byError = RidgeRegressor.FitWithCrossValidatedLambda(x, y, 5, 2);
        Assert.True(byAuc.Lambda > byError.Lambda, $"λ by AUC {byAuc.Lambda}, by squared error {byError.Lambda}");
        Assert.Equal(1.0, RatingMetrics.Auc(y.Select(r => r >= 0.8).ToList(), x.Select(byAuc.Score).ToList()));
    }

    [Fact]
    public void Ratings_all_on_one_side_of_the_threshold_fall_back_to_squared_error()
    {
        var (x, y) = Tracks(7, (v, rng) => 0.4 + 0.05 * v[2] + 0.01 * rng.NextGaussian());
        var byError = RidgeRegressor.FitWithCrossValidatedLambda(x, y, 5, 4);
        var withThreshold = RidgeRegressor.FitWithCrossValidatedLambda(x, y, 5, 4, likeThreshold: 0.8);
        Assert.Equal(byError.Lambda, withThreshold.Lambda);
        Assert.Equal(byError.Weights, withThreshold.Weights);
    }
}
