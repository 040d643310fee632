namespace SSIS.Batch.Engine.Rating;

/// <summary>
/// Ridge regression: w = (XᵀX + λI)⁻¹ Xᵀy on centred data (the intercept is not penalised), solved by Cholesky.
/// λ is chosen from a grid by <see cref="LambdaSearch"/>.
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

    /// <summary>λ chosen by <see cref="LambdaSearch"/> on these tracks, then the fit on every track.</summary>
    public static RidgeRegressor FitWithCrossValidatedLambda(IReadOnlyList<float[]> x, IReadOnlyList<double> y, int folds, ulong seed,
        double? likeThreshold = null)
    {
        var best = LambdaSearch.Choose(x, y, folds, seed, likeThreshold, LambdaGrid.Count,
            (trainX, trainY) => FitPath(trainX, trainY, LambdaGrid).Select(m => (Func<float[], double>)m.Score).ToList());
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
