using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Tests.Support;
using Xunit.Abstractions;

namespace SSIS.Batch.Tests.Learning;

public class BoostedTreesTests(ITestOutputHelper log)
{
    /// <summary>Liked when the first value lies in a middle band: ratings rise and then fall along it, so no linear rule ranks them.</summary>
    private static (List<float[]> X, List<double> Y) BandRule(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var x = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 6).Select(_ => (float)rng.NextGaussian()).ToArray()).ToList();
        return (x, x.Select(v => Math.Abs(v[0]) < 0.7 ? 0.9 : 0.2).ToList());
    }

    [Theory]
    [InlineData(RegressorKind.FastTree)]
    [InlineData(RegressorKind.LightGbm)]
    public void Boosted_trees_learn_a_band_rule_that_ridge_cannot(RegressorKind kind)
    {
        var (x, y) = BandRule(300, 4);
        var train = Enumerable.Range(0, 240).ToList();
        var test = Enumerable.Range(240, 60).ToList();
        var liked = test.Select(i => y[i] > 0.5).ToList();
        var trees = BoostedTreesRegressor.Fit(train.Select(i => x[i]).ToList(), train.Select(i => y[i]).ToList(), new RatingOptions(Regressor: kind, Seed: 5), threads: 2);
        var ridge = RidgeRegressor.FitWithCrossValidatedLambda(train.Select(i => x[i]).ToList(), train.Select(i => y[i]).ToList(), 5, 5);
        var treesAuc = RatingMetrics.Auc(liked, test.Select(i => trees.Predict(x[i])).ToList())!.Value;
        var ridgeAuc = RatingMetrics.Auc(liked, test.Select(i => ridge.Predict(x[i])).ToList())!.Value;
        log.WriteLine($"{kind} held-out AUC {treesAuc:0.000}, ridge {ridgeAuc:0.000}");
        Assert.True(treesAuc > 0.9, $"{kind} held-out AUC {treesAuc:0.000}");
        Assert.True(ridgeAuc < 0.7, $"ridge held-out AUC {ridgeAuc:0.000} (the rule is not linear)");
        Assert.All(test, i => Assert.InRange(trees.Predict(x[i]), 0, 1));
    }

    [Theory]
    [InlineData(RegressorKind.FastTree)]
    [InlineData(RegressorKind.LightGbm)]
    public void A_saved_tree_model_reloads_with_identical_predictions_and_training_is_deterministic_on_any_worker_count(RegressorKind kind)
    {
        var (x, y) = BandRule(120, 6);
        var candidates = x.Select((v, i) => new CandidateTrack(i, $"/{i}.ogg", null, null, null, 60, i < 90 ? y[i] : null, v)).ToList();
        var options = new RatingOptions(Regressor: kind, Folds: 4, Seed: 7);
        var (model, outOfFold) = RatingTrainer.Train(candidates, "dsp-v1", options, workers: 2);
        var (again, outOfFoldAgain) = RatingTrainer.Train(candidates, "dsp-v1", options, workers: 2);
        var (oneThread, outOfFoldOnOneThread) = RatingTrainer.Train(candidates, "dsp-v1", options, workers: 1);
        Assert.Equal(outOfFold, outOfFoldAgain);
        Assert.Equal(outOfFold, outOfFoldOnOneThread);
        Assert.Equal(candidates.Select(c => model.Predict(c.Vector)), candidates.Select(c => again.Predict(c.Vector)));
        Assert.Equal(candidates.Select(c => model.Predict(c.Vector)), candidates.Select(c => oneThread.Predict(c.Vector)));
        Assert.True(model.CrossValidated.Auc > 0.8, $"{kind} {options.Folds}-fold AUC {model.CrossValidated.Auc:0.000}");

        using var folder = new TempFolder();
        model.Save(folder.Path);
        Assert.Equal([RatingModel.TreesFileName, RatingModel.FileName], model.Files);
        var reloaded = RatingModel.Load(folder.Path);
        Assert.Equal(kind, reloaded.Regressor);
        Assert.Equal(candidates.Select(c => model.Predict(c.Vector)), candidates.Select(c => reloaded.Predict(c.Vector)));

        // Trees from another training beside this model file would be read with the wrong standardisation: refused.
        var other = RatingTrainer.Train(candidates, "dsp-v1", options with { Seed = 8, Trees = 20 }, workers: 2).Model;
        using var otherFolder = new TempFolder();
        other.Save(otherFolder.Path);
        File.Copy(Path.Combine(otherFolder.Path, RatingModel.TreesFileName), folder.File(RatingModel.TreesFileName), overwrite: true);
        var error = Assert.Throws<InvalidDataException>(() => RatingModel.Load(folder.Path));
        Assert.Contains("is not the file rating_model.json was saved with", error.Message);

        // A ridge model saved over it takes the trees away with it.
        RatingTrainer.Train(candidates, "dsp-v1", options with { Regressor = RegressorKind.Ridge }, workers: 2).Model.Save(folder.Path);
        Assert.False(File.Exists(folder.File(RatingModel.TreesFileName)));
        Assert.Equal(RegressorKind.Ridge, RatingModel.Load(folder.Path).Regressor);
    }
}
