using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Rating;

namespace SSIS.Batch.Tests.Rating;

public class PartWeightingTests
{
    [Fact]
    public void Each_part_gets_the_same_share_of_the_standardised_variance_and_one_part_is_left_alone()
    {
        var rng = new Rng(3);
        var vectors = Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, 4).Select(_ => (float)(5 + 3 * rng.NextGaussian())).ToArray()).ToList();
        var plain = Standardisation.Fit(vectors);
        var weighted = PartWeighting.Weigh(plain, [3, 1]);
        // Four values in two parts: each part's squared z-scores add up to 4 / 2 = 2 on average, so the three-value part's
        // values weigh √(2/3) and the one-value part's √2.
        var z = vectors.Select(plain.Apply).ToList();
        var w = vectors.Select(weighted.Apply).ToList();
        for (var i = 0; i < vectors.Count; i++)
        {
            for (var d = 0; d < 3; d++) Assert.Equal(z[i][d] * Math.Sqrt(2 / 3.0), w[i][d], 4);
            Assert.Equal(z[i][3] * Math.Sqrt(2), w[i][3], 4);
        }
        Assert.Equal(2, w.Average(v => v[..3].Sum(x => x * x)), 3);
        Assert.Equal(2, w.Average(v => v[3] * v[3]), 3);
        Assert.Same(plain, PartWeighting.Weigh(plain, [4]));
        Assert.Same(plain, PartWeighting.Weigh(plain, []));
    }

    [Fact]
    public void A_short_part_that_carries_the_rule_is_heard_beside_a_long_part_of_noise()
    {
        // 60 tracks: a 150-value part of pure noise beside a 4-value part whose first value decides the rating (plus noise).
        var rng = new Rng(11);
        var candidates = Enumerable.Range(0, 60).Select(i =>
        {
            var liked = i % 2 == 0;
            float[] noise = [.. Enumerable.Range(0, 150).Select(_ => (float)rng.NextGaussian())];
            float[] telling = [(float)((liked ? 0.8 : -0.8) + rng.NextGaussian()), .. Enumerable.Range(0, 3).Select(_ => (float)rng.NextGaussian())];
            return new CandidateTrack(i, $"/{i}.ogg", null, null, null, 60, liked ? 0.9 : 0.2, [.. noise, .. telling]);
        }).ToList();
        var options = new RatingOptions(Regressor: RegressorKind.Ridge, Seed: 2);
        var unweighted = RatingTrainer.Train(candidates, "noise+telling", options, workers: 1).Model.CrossValidated.Auc!.Value;
        var weighted = RatingTrainer.Train(candidates, "noise+telling", options, workers: 1, partLengths: [150, 4]).Model.CrossValidated.Auc!.Value;
        Assert.True(weighted > unweighted + 0.05, $"weighted AUC {weighted:0.000}, unweighted {unweighted:0.000}");
        Assert.True(weighted >= 0.8, $"weighted AUC {weighted:0.000}");
    }
}
