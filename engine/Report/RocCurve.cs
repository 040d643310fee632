namespace SSIS.Batch.Engine.Report;

/// <summary>The receiver operating characteristic of scores against yes/no outcomes.</summary>
public static class RocCurve
{
    /// <summary>
    /// (false-positive rate, true-positive rate) from (0, 0) to (1, 1), one step per distinct score, highest first
    /// (tied scores move both rates at once, a diagonal step). Empty without both outcomes.
    /// </summary>
    public static IReadOnlyList<(double X, double Y)> Points(IReadOnlyList<bool> positive, IReadOnlyList<double> scores)
    {
        var positives = positive.Count(p => p);
        var negatives = positive.Count - positives;
        if (positives == 0 || negatives == 0) return [];
        var points = new List<(double, double)> { (0, 0) };
        int truePositives = 0, falsePositives = 0;
        foreach (var tie in Enumerable.Range(0, scores.Count).GroupBy(i => scores[i]).OrderByDescending(g => g.Key))
        {
            foreach (var i in tie)
                if (positive[i]) truePositives++;
                else falsePositives++;
            points.Add(((double)falsePositives / negatives, (double)truePositives / positives));
        }
        return points;
    }
}
