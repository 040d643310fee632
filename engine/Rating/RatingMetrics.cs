namespace SSIS.Batch.Engine.Rating;

/// <summary>How well predictions match ratings: RMSE, Spearman ρ, AUC of like-vs-rest, NDCG@10.</summary>
public sealed record RatingScores(double Rmse, double Spearman, double? Auc, double NdcgAt10, int Tracks)
{
    public string Describe() =>
        $"RMSE {Rmse:0.000}, Spearman {Spearman:0.000}, AUC {(Auc is { } auc ? auc.ToString("0.000") : "n/a")}, NDCG@10 {NdcgAt10:0.000}";
}

/// <summary>Pure metric functions over parallel arrays of ratings (0..1) and predictions.</summary>
public static class RatingMetrics
{
    public static RatingScores Score(IReadOnlyList<double> ratings, IReadOnlyList<double> predictions, double likeThreshold) => new(
        Rmse(ratings, predictions), Spearman(ratings, predictions),
        Auc(ratings.Select(r => r >= likeThreshold).ToList(), predictions), NdcgAt(10, ratings, predictions), ratings.Count);

    public static double Rmse(IReadOnlyList<double> ratings, IReadOnlyList<double> predictions) =>
        Math.Sqrt(ratings.Zip(predictions, (r, p) => (r - p) * (r - p)).Average());

    /// <summary>Pearson correlation of the ranks (ties get their average rank); 0 when either side is constant.</summary>
    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var ra = Ranks(a);
        var rb = Ranks(b);
        var ma = ra.Average();
        var mb = rb.Average();
        var cov = ra.Zip(rb, (x, y) => (x - ma) * (y - mb)).Sum();
        var va = ra.Sum(x => (x - ma) * (x - ma));
        var vb = rb.Sum(y => (y - mb) * (y - mb));
        return va == 0 || vb == 0 ? 0 : cov / Math.Sqrt(va * vb);
    }

    /// <summary>The chance that a random positive scores above a random negative (ties count half); null without both classes.</summary>
    public static double? Auc(IReadOnlyList<bool> positive, IReadOnlyList<double> scores)
    {
        var positives = positive.Count(p => p);
        var negatives = positive.Count - positives;
        if (positives == 0 || negatives == 0) return null;
        var ranks = Ranks(scores);
        var rankSum = ranks.Where((_, i) => positive[i]).Sum();
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>DCG of the ratings in predicted order over the first k, divided by the best possible DCG (gain = rating).</summary>
    public static double NdcgAt(int k, IReadOnlyList<double> ratings, IReadOnlyList<double> predictions)
    {
        static double Dcg(IEnumerable<double> gains) => gains.Select((g, i) => g / Math.Log2(i + 2)).Sum();
        var ideal = Dcg(ratings.OrderByDescending(r => r).Take(k));
        var actual = Dcg(Enumerable.Range(0, ratings.Count).OrderByDescending(i => predictions[i]).ThenBy(i => i).Take(k).Select(i => ratings[i]));
        return ideal == 0 ? 0 : actual / ideal;
    }

    /// <summary>1-based ranks, ties averaged.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            for (var i = start; i <= end; i++) ranks[order[i]] = (start + end) / 2.0 + 1;
            start = end + 1;
        }
        return ranks;
    }
}
