namespace SSIS.Batch.Engine.Learning;

/// <summary>
/// NT-Xent (SimCLR): rows 2i and 2i+1 of a batch of unit vectors are two views of one item. Each row's loss is the
/// cross-entropy of picking its partner among all other rows by cosine similarity / temperature; the loss is their mean.
/// </summary>
public static class NtXentLoss
{
    /// <summary>The loss and its gradient with respect to <paramref name="unitRows"/> [2B × dims].</summary>
    public static (double Loss, Matrix Gradient) Compute(Matrix unitRows, double temperature)
    {
        var n = unitRows.Rows;
        if (n < 2 || n % 2 != 0) throw new ArgumentException("NT-Xent needs an even number (≥ 2) of rows: pairs of views.");
        var logits = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var k = i + 1; k < n; k++)
                logits[i, k] = logits[k, i] = Kernels.Dot(unitRows.Row(i), unitRows.Row(k)) / temperature;
        // dL/dlogit[i,k] = (softmax_i(k) − [k is i's partner]) / n, over k ≠ i.
        var dLogits = new double[n, n];
        var loss = 0.0;
        for (var i = 0; i < n; i++)
        {
            var partner = i ^ 1;
            var max = double.NegativeInfinity;
            for (var k = 0; k < n; k++) if (k != i) max = Math.Max(max, logits[i, k]);
            var sum = 0.0;
            for (var k = 0; k < n; k++) if (k != i) sum += Math.Exp(logits[i, k] - max);
            loss += -(logits[i, partner] - max - Math.Log(sum));
            for (var k = 0; k < n; k++)
                if (k != i) dLogits[i, k] = (Math.Exp(logits[i, k] - max) / sum - (k == partner ? 1 : 0)) / n;
        }
        var gradient = new Matrix(n, unitRows.Cols);
        for (var i = 0; i < n; i++)
            for (var k = 0; k < n; k++)
                if (k != i) Kernels.AddScaled(unitRows.Row(k), (float)((dLogits[i, k] + dLogits[k, i]) / temperature), gradient.Row(i));
        return (loss / n, gradient);
    }
}
