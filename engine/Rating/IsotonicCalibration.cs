namespace SSIS.Batch.Engine.Rating;

/// <summary>
/// A non-decreasing step function from a score to a probability, fitted by pool-adjacent-violators on (score, 0/1)
/// pairs; between steps it interpolates linearly, beyond them it holds the end values.
/// </summary>
public sealed record IsotonicCalibration(double[] Scores, double[] Probabilities)
{
    public static IsotonicCalibration Fit(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        // Blocks of (mean score, mean outcome, weight), merged while a block's mean outcome falls below its predecessor's.
        var blocks = new List<(double Score, double Value, double Weight)>();
        foreach (var i in order)
        {
            blocks.Add((scores[i], outcomes[i] ? 1 : 0, 1));
            while (blocks.Count > 1 && blocks[^2].Value >= blocks[^1].Value)
            {
                var (s2, v2, w2) = blocks[^1];
                var (s1, v1, w1) = blocks[^2];
                blocks.RemoveAt(blocks.Count - 1);
                blocks[^1] = ((s1 * w1 + s2 * w2) / (w1 + w2), (v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2);
            }
        }
        return new IsotonicCalibration(blocks.Select(b => b.Score).ToArray(), blocks.Select(b => b.Value).ToArray());
    }

    public double Apply(double score)
    {
        if (Scores.Length == 0) return 0.5;
        if (score <= Scores[0]) return Probabilities[0];
        if (score >= Scores[^1]) return Probabilities[^1];
        var upper = Array.BinarySearch(Scores, score);
        if (upper >= 0) return Probabilities[upper];
        upper = ~upper;
        var t = (score - Scores[upper - 1]) / (Scores[upper] - Scores[upper - 1]);
        return Probabilities[upper - 1] + t * (Probabilities[upper] - Probabilities[upper - 1]);
    }
}
