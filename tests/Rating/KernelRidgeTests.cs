using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Rating;

/// <summary>The RBF kernel ridge regressor (<c>model.regressor: kernel</c>).</summary>
public class KernelRidgeTests
{
    /// <summary>Liked in two opposite regions (the first value far from 0 either way): a taste of two unlike packages.</summary>
    private static (List<float[]> X, List<double> Y) TwoRegions(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var x = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 6).Select(_ => (float)rng.NextGaussian()).ToArray()).ToList();
        return (x, x.Select((v, i) => (Math.Abs(v[0]) > 0.7 ? 0.8 : 0.1) + 0.1 * (i % 3)).ToList());
    }

    /// <summary>A two-region taste of <paramref name="train"/> training tracks, then <paramref name="test"/> held out, with which of those are liked.</summary>
    private static (List<float[]> TrainX, List<double> TrainY, List<float[]> TestX, List<bool> TestLiked) HeldOut(int train, int test, ulong seed)
    {
        var (x, y) = TwoRegions(train + test, seed);
        return (x[..train], y[..train], x[train..], y[train..].Select(r => r >= 0.8).ToList());
    }

    [Fact]
    public void Kernel_ridge_learns_a_two_region_taste_that_ridge_cannot()
    {
        var (trainX, trainY, testX, liked) = HeldOut(100, 60, 4);
        var kernel = KernelRidgeRegressor.FitWithCrossValidatedLambda(trainX, trainY, 5, 5, 0.8);
        var ridge = RidgeRegressor.FitWithCrossValidatedLambda(trainX, trainY, 5, 5, 0.8);
        var kernelAuc = RatingMetrics.Auc(liked, testX.Select(kernel.Predict).ToList())!.Value;
        var ridgeAuc = RatingMetrics.Auc(liked, testX.Select(ridge.Predict).ToList())!.Value;
        Assert.True(kernelAuc > 0.85, $"kernel held-out AUC {kernelAuc:0.000}");
        Assert.True(ridgeAuc < 0.7, $"ridge held-out AUC {ridgeAuc:0.000} (no one direction separates the regions)");
        Assert.Contains(kernel.Lambda, KernelRidgeRegressor.LambdaGrid);
        Assert.All(testX, v => Assert.InRange(kernel.Predict(v), 0, 1));
    }

    [Fact]
    public void A_saved_kernel_model_reloads_with_identical_predictions()
    {
        var (x, y) = TwoRegions(140, 6);
        var candidates = x.Select((v, i) => new CandidateTrack(i, $"/{i}.ogg", null, null, null, 60, i < 120 ? y[i] : null, v)).ToList();
        var options = new RatingOptions(Regressor: RegressorKind.Kernel, Seed: 7);
        var (model, outOfFold) = RatingTrainer.Train(candidates, "dsp-v1", options, workers: 1);
        Assert.Equal(outOfFold, RatingTrainer.Train(candidates, "dsp-v1", options, workers: 2).OutOfFold);
        Assert.Equal(120, model.Kernel!.Support.Length);
        var ridge = RatingTrainer.Train(candidates, "dsp-v1", options with { Regressor = RegressorKind.Ridge }, workers: 1).Model;
        Assert.True(model.CrossValidated.Auc > ridge.CrossValidated.Auc + 0.1,
            $"5-fold AUC {model.CrossValidated.Auc:0.000}, ridge's {ridge.CrossValidated.Auc:0.000}");

        using var folder = new TempFolder();
        model.Save(folder.Path);
        Assert.Equal([RatingModel.FileName], model.Files);
        var reloaded = RatingModel.Load(folder.Path);
        Assert.Equal(RegressorKind.Kernel, reloaded.Regressor);
        Assert.Equal(candidates.Select(c => model.Predict(c.Vector)), candidates.Select(c => reloaded.Predict(c.Vector)));
    }

    [Fact]
    public void Above_its_landmarks_the_kernel_keeps_at_most_that_many_tracks_and_still_learns_the_taste()
    {
        var (trainX, trainY, testX, liked) = HeldOut(400, 60, 8);
        var nystrom = KernelRidgeRegressor.FitWithCrossValidatedLambda(trainX, trainY, 5, 5, 0.8, maxLandmarks: 100);
        Assert.Equal(100, nystrom.Support.Length);
        Assert.Equal(100, nystrom.Alpha.Length);
        var auc = RatingMetrics.Auc(liked, testX.Select(nystrom.Predict).ToList())!.Value;
        Assert.True(auc > 0.85, $"Nyström held-out AUC {auc:0.000}");
    }

    [Fact]
    public void With_every_track_a_landmark_but_one_the_Nystrom_fit_is_close_to_the_exact_one()
    {
        var (x, y) = TwoRegions(120, 9);
        var exact = KernelRidgeRegressor.Fit(x, y, gamma: 1.0 / 12, lambda: 1);
        var nystrom = KernelRidgeRegressor.Fit(x, y, gamma: 1.0 / 12, lambda: 1, seed: 3, maxLandmarks: 119);
        Assert.Equal(120, exact.Support.Length);
        Assert.Equal(119, nystrom.Support.Length);
        var (others, _) = TwoRegions(50, 10);
        Assert.All(others, v => Assert.InRange(nystrom.Score(v) - exact.Score(v), -0.05, 0.05));
    }

    [Fact]
    public void The_landmarks_are_all_the_tracks_up_to_the_bound_else_a_seeded_choice()
    {
        Assert.Equal(Enumerable.Range(0, 30), KernelRidgeRegressor.Landmarks(30, 500, 1));
        var chosen = KernelRidgeRegressor.Landmarks(2000, 500, 1);
        Assert.Equal(500, chosen.Distinct().Count());
        Assert.Equal(chosen.Order(), chosen);
        Assert.All(chosen, i => Assert.InRange(i, 0, 1999));
        Assert.Equal(chosen, KernelRidgeRegressor.Landmarks(2000, 500, 1));
        Assert.NotEqual(chosen, KernelRidgeRegressor.Landmarks(2000, 500, 2));
    }
}
