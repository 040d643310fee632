namespace SSIS.Batch.Engine.Rating;

/// <summary>
/// RBF kernel ridge regression: f(x) = mean + Σᵢ αᵢ·exp(−γ‖x − xᵢ‖²) over the training tracks xᵢ, α = (K + λI)⁻¹(y − mean),
/// solved by Cholesky. γ is 1 / the median squared distance between the training tracks; λ is chosen from
/// <see cref="LambdaGrid"/> by <see cref="LambdaSearch"/>, as <see cref="RidgeRegressor"/>'s is. Unlike
/// ridge it can cut off more than one region of the input (a taste spanning unlike packages), and it keeps every training
/// track's vector: its fit costs O(n³) for n rated tracks, about 20 fits per fit with the λ search.
/// </summary>
public sealed record KernelRidgeRegressor(float[][] Support, double[] Alpha, double Mean, double Gamma, double Lambda)
{
    public static readonly IReadOnlyList<double> LambdaGrid = [0.01, 0.1, 1, 10];

    public double Predict(float[] x) => Math.Clamp(Score(x), 0, 1);

    /// <summary>The prediction before it is clamped to [0, 1].</summary>
    public double Score(float[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < Support.Length; i++) sum += Alpha[i] * Math.Exp(-Gamma * SquaredDistance(Support[i], x));
        return Mean + sum;
    }

    public static KernelRidgeRegressor FitWithCrossValidatedLambda(IReadOnlyList<float[]> x, IReadOnlyList<double> y, int folds, ulong seed,
        double? likeThreshold = null)
    {
        var gamma = 1 / MedianSquaredDistance(x);
        var best = LambdaSearch.Choose(x, y, folds, seed, likeThreshold, LambdaGrid.Count,
            (trainX, trainY) => LambdaGrid.Select(lambda => (Func<float[], double>)Fit(trainX, trainY, gamma, lambda).Score).ToList());
        return Fit(x, y, gamma, LambdaGrid[best]);
    }

    /// <summary>The fit for one γ and λ.</summary>
    public static KernelRidgeRegressor Fit(IReadOnlyList<float[]> x, IReadOnlyList<double> y, double gamma, double lambda)
    {
        var n = x.Count;
        var mean = y.Average();
        var k = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j <= i; j++)
                k[i, j] = k[j, i] = Math.Exp(-gamma * SquaredDistance(x[i], x[j])) + (i == j ? lambda : 0);
        var alpha = Cholesky.Solve(k, y.Select(v => v - mean).ToArray());
        return new KernelRidgeRegressor(x.Select(v => (float[])v.Clone()).ToArray(), alpha, mean, gamma, lambda);
    }

    private static double SquaredDistance(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var d = 0; d < a.Length; d++)
        {
            var difference = (double)a[d] - b[d];
            sum += difference * difference;
        }
        return sum;
    }

    /// <summary>The median of the squared distances between distinct tracks (1 when there are none, or all coincide).</summary>
    private static double MedianSquaredDistance(IReadOnlyList<float[]> x)
    {
        var distances = new List<double>();
        for (var i = 0; i < x.Count; i++)
            for (var j = 0; j < i; j++) distances.Add(SquaredDistance(x[i], x[j]));
        if (distances.Count == 0) return 1;
        distances.Sort();
        var median = distances[distances.Count / 2];
        return median > 0 ? median : 1;
    }
}
