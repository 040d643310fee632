using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Rating;

namespace SSIS.Batch.Tests.Learning;

public class RatingModelTests
{
    [Fact]
    public void Metrics_match_hand_computed_values()
    {
        double[] ratings = [1.0, 0.8, 0.2, 0.4];
        double[] predictions = [0.9, 0.5, 0.3, 0.6];
        Assert.Equal(Math.Sqrt((0.01 + 0.09 + 0.01 + 0.04) / 4), RatingMetrics.Rmse(ratings, predictions), 12);
        // Ranks 4,3,1,2 against 4,2,1,3: d² = 0+1+0+1, ρ = 1 − 6·2 / (4·15) = 0.8.
        Assert.Equal(0.8, RatingMetrics.Spearman(ratings, predictions), 12);
        // Likes (≥ 0.8) scored 0.9 and 0.5 against 0.3 and 0.6: 3 of 4 pairs ordered.
        Assert.Equal(0.75, RatingMetrics.Auc(ratings.Select(r => r >= 0.8).ToList(), predictions));
        Assert.Null(RatingMetrics.Auc([true, true], [0.1, 0.2]));
        Assert.Equal(1.0, RatingMetrics.NdcgAt(10, ratings, ratings), 12);
        var dcg = 1.0 + 0.4 / Math.Log2(3) + 0.8 / Math.Log2(4) + 0.2 / Math.Log2(5);
        var ideal = 1.0 + 0.8 / Math.Log2(3) + 0.4 / Math.Log2(4) + 0.2 / Math.Log2(5);
        Assert.Equal(dcg / ideal, RatingMetrics.NdcgAt(10, ratings, predictions), 12);
    }

    [Fact]
    public void Isotonic_calibration_is_monotone_and_pools_violations()
    {
        var calibration = IsotonicCalibration.Fit([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [false, true, false, false, true, true]);
        // (0.2: 1, 0.3: 0, 0.4: 0) pool to 1/3.
        Assert.Equal([0.0, Math.Round(1 / 3.0, 12), 1], calibration.Probabilities.Select(p => Math.Round(p, 12)).Distinct());
        Assert.Equal(0, calibration.Apply(0.0));
        Assert.Equal(1, calibration.Apply(0.9));
        var grid = Enumerable.Range(0, 101).Select(i => calibration.Apply(i / 100.0)).ToList();
        Assert.True(grid.Zip(grid.Skip(1)).All(p => p.First <= p.Second));
    }

    [Fact]
    public void Ridge_recovers_a_linear_rule_and_chooses_a_small_lambda_for_clean_data()
    {
        var rng = new Rng(1);
        var x = Enumerable.Range(0, 80).Select(_ => Enumerable.Range(0, 5).Select(_ => (float)rng.NextGaussian()).ToArray()).ToList();
        var y = x.Select(v => 0.5 + 0.1 * v[0] - 0.05 * v[3]).ToList();
        var model = RidgeRegressor.FitWithCrossValidatedLambda(x, y, 5, 7);
        Assert.True(model.Lambda <= 0.1, $"λ {model.Lambda}");
        Assert.Equal(0.1, model.Weights[0], 2);
        Assert.Equal(-0.05, model.Weights[3], 2);
        Assert.Equal(0.5, model.Bias, 2);
    }

    [Fact]
    public void Mlp_learns_a_nonlinear_rule_and_reloads_from_its_state()
    {
        var rng = new Rng(2);
        var x = Enumerable.Range(0, 300).Select(_ => Enumerable.Range(0, 4).Select(_ => (float)rng.NextGaussian()).ToArray()).ToList();
        // Liked when the first two values share a sign: no linear rule separates it.
        var y = x.Select(v => v[0] * v[1] > 0 ? 0.9 : 0.2).ToList();
        var options = new RatingOptions(Regressor: RegressorKind.Mlp, HiddenUnits: [16], Dropout: 0.1, LearningRate: 1e-2, Seed: 3);
        var mlp = MlpRegressor.Fit(x.Take(240).ToList(), y.Take(240).ToList(), options);
        var test = Enumerable.Range(240, 60).ToList();
        var auc = RatingMetrics.Auc(test.Select(i => y[i] > 0.5).ToList(), test.Select(i => mlp.Predict(x[i])).ToList())!.Value;
        Assert.True(auc > 0.9, $"MLP held-out AUC {auc:0.000}");
        var ridge = RidgeRegressor.FitWithCrossValidatedLambda(x.Take(240).ToList(), y.Take(240).ToList(), 5, 3);
        var ridgeAuc = RatingMetrics.Auc(test.Select(i => y[i] > 0.5).ToList(), test.Select(i => ridge.Predict(x[i])).ToList())!.Value;
        Assert.True(ridgeAuc < 0.75, $"ridge held-out AUC {ridgeAuc:0.000} (the rule is not linear)");
        Assert.True(mlp.State.Epochs < options.MaxEpochs, "early stopping should end training before the last epoch");

        var reloaded = MlpRegressor.FromState(mlp.State);
        Assert.All(test, i => Assert.Equal(mlp.Predict(x[i]), reloaded.Predict(x[i])));
    }

    [Fact]
    public void Too_few_ratings_is_refused_with_the_count()
    {
        var candidates = Enumerable.Range(0, 8).Select(i => new CandidateTrack(i, $"/{i}", null, null, null, 60, i < 5 ? 0.5 : null, [i, 1])).ToList();
        var error = Assert.Throws<TooFewRatingsException>(() => RatingTrainer.Train(candidates, "dsp-v1", new RatingOptions(MinRated: 20), workers: 1));
        Assert.Contains("Only 5 rated tracks", error.Message);
        Assert.Contains("at least 20 (model.min_rated)", error.Message);
    }
}
