namespace SSIS.Batch.Engine.Rating;

/// <summary>
/// RBF kernel ridge regression with a bounded cost: f(x) = mean + Σⱼ αⱼ·exp(−γ‖x − sⱼ‖²) over at most
/// <see cref="MaxLandmarks"/> support tracks sⱼ. Up to that many training tracks it is the exact kernel ridge, every
/// training track a support track and α = (K + λI)⁻¹(y − mean); above it, a Nyström kernel ridge on m landmarks (the first
/// m training tracks in an order shuffled by the seed), α = (KₙₘᵀKₙₘ + λKₘₘ)⁻¹Kₙₘᵀ(y − mean), so a fit costs
/// O(n·m² + m³) for n training tracks instead of O(n³), and the model keeps at most m vectors. Both are solved by
/// Cholesky. γ is 1 / the median squared distance between the support tracks; λ is chosen from <see cref="LambdaGrid"/>
/// by <see cref="LambdaSearch"/>, as <see cref="RidgeRegressor"/>'s is, each fold's kernel matrices shared by every λ.
/// Unlike ridge it can cut off more than one region of the input (a taste spanning unlike packages).
/// </summary>
public sealed record KernelRidgeRegressor(float[][] Support, double[] Alpha, double Mean, double Gamma, double Lambda)
{
    public static readonly IReadOnlyList<double> LambdaGrid = [0.01, 0.1, 1, 10];

    /// <summary>The most support tracks (landmarks) a model keeps; up to this many rated tracks the fit is exact.</summary>
    public const int MaxLandmarks = 500;

    public double Predict(float[] x) => Math.Clamp(Score(x), 0, 1);

    /// <summary>The prediction before it is clamped to [0, 1].</summary>
    public double Score(float[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < Support.Length; i++) sum += Alpha[i] * Math.Exp(-Gamma * SquaredDistance(Support[i], x));
        return Mean + sum;
    }

    public static KernelRidgeRegressor FitWithCrossValidatedLambda(IReadOnlyList<float[]> x, IReadOnlyList<double> y, int folds, ulong seed,
        double? likeThreshold = null, int maxLandmarks = MaxLandmarks)
    {
        var gamma = 1 / MedianSquaredDistance(Landmarks(x.Count, maxLandmarks, seed).Select(i => x[i]).ToList());
        var best = LambdaSearch.Choose(x, y, folds, seed, likeThreshold, LambdaGrid.Count,
            (trainX, trainY) => FitPath(trainX, trainY, gamma, LambdaGrid, seed, maxLandmarks).Select(m => (Func<float[], double>)m.Score).ToList());
        return FitPath(x, y, gamma, [LambdaGrid[best]], seed, maxLandmarks)[0];
    }

    /// <summary>The fit for one γ and λ.</summary>
    public static KernelRidgeRegressor Fit(IReadOnlyList<float[]> x, IReadOnlyList<double> y, double gamma, double lambda,
        ulong seed = 0, int maxLandmarks = MaxLandmarks) =>
        FitPath(x, y, gamma, [lambda], seed, maxLandmarks)[0];

    /// <summary>One fit per λ, sharing the kernel matrices (and the landmarks, chosen by <paramref name="seed"/>).</summary>
    public static IReadOnlyList<KernelRidgeRegressor> FitPath(IReadOnlyList<float[]> x, IReadOnlyList<double> y, double gamma,
        IReadOnlyList<double> lambdas, ulong seed, int maxLandmarks = MaxLandmarks)
    {
        var n = x.Count;
        var mean = y.Average();
        var centred = y.Select(v => v - mean).ToArray();
        var landmarks = Landmarks(n, maxLandmarks, seed);
        var support = landmarks.Select(i => (float[])x[i].Clone()).ToArray();
        var m = landmarks.Length;
        if (m == n)
        {
            var k = new double[n, n];
            for (var i = 0; i < n; i++)
                for (var j = 0; j <= i; j++) k[i, j] = k[j, i] = Math.Exp(-gamma * SquaredDistance(x[i], x[j]));
            return lambdas.Select(lambda =>
            {
                var regularised = (double[,])k.Clone();
                for (var i = 0; i < n; i++) regularised[i, i] += lambda;
                return new KernelRidgeRegressor(support, Cholesky.Solve(regularised, centred), mean, gamma, lambda);
            }).ToList();
        }

        // Nyström: the kernel between every training track and each landmark, one column per landmark.
        var columns = new double[m][];
        for (var j = 0; j < m; j++)
        {
            var column = columns[j] = new double[n];
            for (var i = 0; i < n; i++) column[i] = Math.Exp(-gamma * SquaredDistance(x[i], support[j]));
        }
        var gram = new double[m, m];
        var kty = new double[m];
        for (var a = 0; a < m; a++)
        {
            kty[a] = Dot(columns[a], centred);
            for (var b = 0; b <= a; b++) gram[a, b] = gram[b, a] = Dot(columns[a], columns[b]);
        }
        var trace = Enumerable.Range(0, m).Sum(a => gram[a, a]);
        return lambdas.Select(lambda =>
        {
            // Kₘₘ's rows are the landmarks' rows of Kₙₘ. A small jitter keeps the system positive definite where
            // landmarks nearly coincide; it grows tenfold until the factorisation succeeds.
            for (var jitter = 1e-10 * trace / m; ; jitter *= 10)
            {
                var system = new double[m, m];
                for (var a = 0; a < m; a++)
                    for (var b = 0; b <= a; b++)
                        system[a, b] = system[b, a] = gram[a, b] + lambda * columns[b][landmarks[a]] + (a == b ? jitter : 0);
                try
                {
                    return new KernelRidgeRegressor(support, Cholesky.Solve(system, kty), mean, gamma, lambda);
                }
                catch (ArithmeticException) when (jitter < trace) { }
            }
        }).ToList();
    }

    /// <summary>
    /// The indices of the support tracks among <paramref name="count"/> training tracks, ascending: all of them up to
    /// <paramref name="maxLandmarks"/>, else the first that many of an order shuffled by <paramref name="seed"/>.
    /// </summary>
    public static int[] Landmarks(int count, int maxLandmarks, ulong seed)
    {
        if (count <= maxLandmarks) return Enumerable.Range(0, count).ToArray();
        var order = Enumerable.Range(0, count).ToList();
        new Learning.Rng(seed ^ 0x4c414e444d41524bUL).Shuffle(order);
        return order.Take(maxLandmarks).Order().ToArray();
    }

    /// <summary>A dot product in a fixed order (four running sums), so a model is the same on every machine.</summary>
    private static double Dot(double[] a, double[] b)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var i = 0;
        for (; i <= a.Length - 4; i += 4)
        {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.Length; i++) s0 += a[i] * b[i];
        return s0 + s1 + s2 + s3;
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
