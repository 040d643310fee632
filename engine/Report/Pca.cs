namespace SSIS.Batch.Engine.Report;

/// <summary>
/// Principal component analysis to two dimensions, for the report's embedding map: every column is standardised
/// (z-score over the rows; a constant column becomes 0), then the two leading eigenvectors of the covariance are found
/// by power iteration with deflation. The covariance is never formed (Xᵀ(Xv) per step), so a 2,048-wide encoder costs
/// rows × width per step, not width².
/// </summary>
public static class Pca
{
    private const int MaxIterations = 1000;
    private const double Tolerance = 1e-12;

    /// <summary>
    /// Each row's coordinates on the first and second principal axes of the standardised rows. An axis's sign is
    /// chosen so its first loading of any size is positive, so the same vectors always give the same picture.
    /// </summary>
    public static (double X, double Y)[] Project(IReadOnlyList<float[]> rows)
    {
        if (rows.Count == 0) return [];
        var z = Standardise(rows);
        var first = LeadingAxis(z, orthogonalTo: null);
        var second = LeadingAxis(z, orthogonalTo: first);
        return z.Select(r => (Dot(r, first), Dot(r, second))).ToArray();
    }

    private static double[][] Standardise(IReadOnlyList<float[]> rows)
    {
        var width = rows[0].Length;
        var mean = new double[width];
        var std = new double[width];
        foreach (var r in rows)
            for (var j = 0; j < width; j++) mean[j] += r[j];
        for (var j = 0; j < width; j++) mean[j] /= rows.Count;
        foreach (var r in rows)
            for (var j = 0; j < width; j++) std[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
        for (var j = 0; j < width; j++) std[j] = Math.Sqrt(std[j] / rows.Count);
        return rows.Select(r => Enumerable.Range(0, width).Select(j => std[j] > 0 ? (r[j] - mean[j]) / std[j] : 0).ToArray()).ToArray();
    }

    /// <summary>The unit eigenvector of the largest eigenvalue of ZᵀZ (within the complement of <paramref name="orthogonalTo"/>).</summary>
    private static double[] LeadingAxis(double[][] z, double[]? orthogonalTo)
    {
        var width = z[0].Length;
        // A fixed, uneven start: deterministic, and not orthogonal to the axis sought for any data a library yields.
        var v = Enumerable.Range(0, width).Select(j => 1.0 + (double)j / width).ToArray();
        Orthonormalise(v, orthogonalTo);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var next = new double[width];
            foreach (var row in z)
            {
                var along = Dot(row, v);
                for (var j = 0; j < width; j++) next[j] += along * row[j];
            }
            if (!Orthonormalise(next, orthogonalTo)) return next; // no variance left: the zero vector projects everything to 0
            var change = 0.0;
            for (var j = 0; j < width; j++) change += (next[j] - v[j]) * (next[j] - v[j]);
            v = next;
            if (change < Tolerance) break;
        }
        var firstLoading = v.First(x => Math.Abs(x) > 1e-9);
        return firstLoading < 0 ? v.Select(x => -x).ToArray() : v;
    }

    /// <summary>Removes the component along <paramref name="axis"/> and scales to unit length; false when nothing is left.</summary>
    private static bool Orthonormalise(double[] v, double[]? axis)
    {
        if (axis is not null)
        {
            var along = Dot(v, axis);
            for (var j = 0; j < v.Length; j++) v[j] -= along * axis[j];
        }
        var norm = Math.Sqrt(Dot(v, v));
        if (norm < 1e-12)
        {
            Array.Clear(v);
            return false;
        }
        for (var j = 0; j < v.Length; j++) v[j] /= norm;
        return true;
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
