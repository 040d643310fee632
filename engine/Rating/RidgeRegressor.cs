namespace SSIS.Batch.Engine.Rating;

/// <summary>
/// Ridge regression: w = (XᵀX + λI)⁻¹ Xᵀy on centred data (the intercept is not penalised), solved by Cholesky.
/// λ is chosen from a grid by k-fold cross-validation on the training tracks: by how well the inner folds' predictions
/// rank the liked tracks above the rest (AUC) when a like threshold is given and the tracks hold both, else by squared error.
/// </summary>
public sealed record RidgeRegressor(double[] Weights, double Bias, double Lambda)
{
    public static readonly IReadOnlyList<double> LambdaGrid = Enumerable.Range(-2, 8).Select(e => Math.Pow(10, e)).ToList();

    public double Predict(float[] x) => Math.Clamp(Score(x), 0, 1);

    /// <summary>The linear prediction before it is clamped to [0, 1].</summary>
    public double Score(float[] x)
    {
        var sum = 0.0;
        for (var d = 0; d < x.Length; d++) sum += x[d] * Weights[d];
        return Bias + sum;
    }

    /// <summary>
    /// λ chosen by k-fold cross-validation on these tracks, then the fit on every track. With
    /// <paramref name="likeThreshold"/>, and tracks rated on both sides of it, the λ whose out-of-fold predictions have
    /// the highest AUC of like (rating ≥ threshold) against the rest wins, ties going to the larger λ (the smoother
    /// model): the playlist is a ranking, and squared error also pays for fitting the differences within the liked
    /// ratings (0.8 against 1.0), which a few dozen ratings cannot teach. Otherwise the λ with the lowest squared error.
    /// </summary>
    public static RidgeRegressor FitWithCrossValidatedLambda(IReadOnlyList<float[]> x, IReadOnlyList<double> y, int folds, ulong seed,
        double? likeThreshold = null)
    {
        var assignment = Folds.Assign(x.Count, Math.Min(folds, x.Count), seed);
        var errors = new double[LambdaGrid.Count];
        var outOfFold = LambdaGrid.Select(_ => new double[x.Count]).ToArray();
        foreach (var fold in assignment.Distinct())
        {
            var train = Enumerable.Range(0, x.Count).Where(i => assignment[i] != fold).ToList();
            var models = FitPath(train.Select(i => x[i]).ToList(), train.Select(i => y[i]).ToList(), LambdaGrid);
            foreach (var i in Enumerable.Range(0, x.Count).Where(i => assignment[i] == fold))
                for (var l = 0; l < models.Count; l++)
                {
                    outOfFold[l][i] = models[l].Score(x[i]);
                    errors[l] += Math.Pow(models[l].Predict(x[i]) - y[i], 2);
                }
        }
        var liked = y.Select(r => likeThreshold is { } threshold && r >= threshold).ToList();
        var best = likeThreshold is not null && liked.Contains(true) && liked.Contains(false)
            ? Enumerable.Range(0, LambdaGrid.Count).OrderByDescending(l => Math.Round(RatingMetrics.Auc(liked, outOfFold[l])!.Value, 9)).ThenByDescending(l => l).First()
            : Array.IndexOf(errors, errors.Min());
        return FitPath(x, y, [LambdaGrid[best]])[0];
    }

    /// <summary>One fit per λ, sharing the Gram matrix.</summary>
    public static IReadOnlyList<RidgeRegressor> FitPath(IReadOnlyList<float[]> x, IReadOnlyList<double> y, IReadOnlyList<double> lambdas)
    {
        var n = x.Count;
        var d = x[0].Length;
        var xMean = Enumerable.Range(0, d).Select(j => x.Average(r => (double)r[j])).ToArray();
        var yMean = y.Average();
        var gram = new double[d, d];
        var xty = new double[d];
        var centred = new double[d];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++) centred[j] = x[i][j] - xMean[j];
            for (var a = 0; a < d; a++)
            {
                xty[a] += centred[a] * (y[i] - yMean);
                for (var b = 0; b <= a; b++) gram[a, b] += centred[a] * centred[b];
            }
        }
        return lambdas.Select(lambda =>
        {
            var regularised = new double[d, d];
            for (var a = 0; a < d; a++)
                for (var b = 0; b <= a; b++) regularised[a, b] = regularised[b, a] = gram[a, b] + (a == b ? lambda : 0);
            var w = Cholesky.Solve(regularised, xty);
            return new RidgeRegressor(w, yMean - w.Select((v, j) => v * xMean[j]).Sum(), lambda);
        }).ToList();
    }
}

/// <summary>Solves A·x = b for a symmetric positive-definite A.</summary>
public static class Cholesky
{
    public static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                if (i == j)
                {
                    if (sum <= 0) throw new ArithmeticException("The matrix is not positive definite.");
                    l[i, i] = Math.Sqrt(sum);
                }
                else l[i, j] = sum / l[j, j];
            }
        var z = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++) sum -= l[i, k] * z[k];
            z[i] = sum / l[i, i];
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = z[i];
            for (var k = i + 1; k < n; k++) sum -= l[k, i] * x[k];
            x[i] = sum / l[i, i];
        }
        return x;
    }
}

/// <summary>Deterministic k-fold assignment: a seeded shuffle dealt round-robin into k folds.</summary>
public static class Folds
{
    public static int[] Assign(int count, int folds, ulong seed)
    {
        var order = Enumerable.Range(0, count).ToList();
        new Learning.Rng(seed).Shuffle(order);
        var assignment = new int[count];
        for (var i = 0; i < count; i++) assignment[order[i]] = i % Math.Max(1, folds);
        return assignment;
    }
}
