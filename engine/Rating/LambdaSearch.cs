namespace SSIS.Batch.Engine.Rating;

/// <summary>
/// The penalty λ of a regressor, chosen from its grid by k-fold cross-validation on the training tracks. With a like
/// threshold, and tracks rated on both sides of it, the λ whose out-of-fold predictions have the highest AUC of like
/// (rating ≥ threshold) against the rest wins, ties going to the larger λ (the smoother model): the playlist is a
/// ranking, and squared error also pays for fitting the differences within the liked ratings (0.8 against 1.0), which a
/// few dozen ratings cannot teach. Otherwise the λ with the lowest squared error of the clamped predictions.
/// </summary>
public static class LambdaSearch
{
    /// <summary>
    /// The index of the chosen λ in a grid of <paramref name="gridSize"/>; <paramref name="fitGrid"/> fits one fold's
    /// training tracks once per λ of the grid, in its order, and returns each fit's unclamped prediction.
    /// </summary>
    public static int Choose(IReadOnlyList<float[]> x, IReadOnlyList<double> y, int folds, ulong seed, double? likeThreshold, int gridSize,
        Func<IReadOnlyList<float[]>, IReadOnlyList<double>, IReadOnlyList<Func<float[], double>>> fitGrid)
    {
        var assignment = Folds.Assign(x.Count, Math.Min(folds, x.Count), seed);
        var errors = new double[gridSize];
        var outOfFold = Enumerable.Range(0, gridSize).Select(_ => new double[x.Count]).ToArray();
        foreach (var fold in assignment.Distinct())
        {
            var train = Enumerable.Range(0, x.Count).Where(i => assignment[i] != fold).ToList();
            var fits = fitGrid(train.Select(i => x[i]).ToList(), train.Select(i => y[i]).ToList());
            foreach (var i in Enumerable.Range(0, x.Count).Where(i => assignment[i] == fold))
                for (var l = 0; l < gridSize; l++)
                {
                    outOfFold[l][i] = fits[l](x[i]);
                    errors[l] += Math.Pow(Math.Clamp(outOfFold[l][i], 0, 1) - y[i], 2);
                }
        }
        var liked = y.Select(r => likeThreshold is { } threshold && r >= threshold).ToList();
        return likeThreshold is not null && liked.Contains(true) && liked.Contains(false)
            ? Enumerable.Range(0, gridSize).OrderByDescending(l => Math.Round(RatingMetrics.Auc(liked, outOfFold[l])!.Value, 9)).ThenByDescending(l => l).First()
            : Array.IndexOf(errors, errors.Min());
    }
}
