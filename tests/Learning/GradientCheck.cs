using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Tests.Learning;

/// <summary>
/// Finite-difference checks: the loss is Σ output ⊙ R for a fixed random R, so Backward(R) must equal the numerical
/// derivative of that sum with respect to each input value and each parameter value.
/// </summary>
public static class GradientCheck
{
    public static Matrix Random(int rows, int cols, Rng rng, double scale = 1) =>
        new(rows, cols, Enumerable.Range(0, rows * cols).Select(_ => (float)(scale * rng.NextGaussian())).ToArray());

    /// <summary>Checks input and parameter gradients of <paramref name="layer"/>; returns the worst relative error.</summary>
    public static double Layer(ILayer layer, Matrix input, Rng rng, Func<ILayer>? freshForEachCall = null)
    {
        ILayer Fresh() => freshForEachCall?.Invoke() ?? layer;
        var probe = Fresh().Forward(input, training: true);
        var weights = Random(probe.Rows, probe.Cols, rng);
        double Loss() => Dot(Fresh().Forward(input, training: true), weights);

        var analytic = Fresh();
        foreach (var p in analytic.Parameters) p.ZeroGrad();
        analytic.Forward(input, training: true);
        var inputGradient = analytic.Backward(weights);

        var worst = Compare(input.Data, inputGradient.Data, Loss, rng);
        foreach (var parameter in analytic.Parameters)
            worst = Math.Max(worst, Compare(parameter.Value, (float[])parameter.Grad.Clone(), Loss, rng));
        return worst;
    }

    /// <summary>Worst relative error between <paramref name="analytic"/> and central differences of <paramref name="loss"/>.</summary>
    public static double Compare(float[] values, float[] analytic, Func<double> loss, Rng rng) => Errors(values, analytic, loss, rng, 1e-2f).Max();

    /// <summary>Relative error between <paramref name="analytic"/> and central differences of <paramref name="loss"/> over up to 40 coordinates of <paramref name="values"/>.</summary>
    public static List<double> Errors(float[] values, float[] analytic, Func<double> loss, Rng rng, float step)
    {
        var errors = new List<double>();
        var coordinates = values.Length <= 40 ? Enumerable.Range(0, values.Length) : Enumerable.Range(0, 40).Select(_ => rng.Next(values.Length));
        foreach (var i in coordinates)
        {
            var kept = values[i];
            values[i] = kept + step;
            var up = loss();
            values[i] = kept - step;
            var down = loss();
            values[i] = kept;
            var numeric = (up - down) / (2 * step);
            errors.Add(Math.Abs(numeric - analytic[i]) / Math.Max(1e-2, Math.Abs(numeric) + Math.Abs(analytic[i])));
        }
        return errors;
    }

    public static double Dot(Matrix a, Matrix b) => a.Data.Zip(b.Data, (x, y) => (double)x * y).Sum();
}
