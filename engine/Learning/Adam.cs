namespace SSIS.Batch.Engine.Learning;

/// <summary>Adam (Kingma &amp; Ba, 2015) with bias correction, over a fixed list of parameters.</summary>
public sealed class Adam(IReadOnlyList<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
    double epsilon = 1e-8, double weightDecay = 0)
{
    private readonly float[][] _m = parameters.Select(p => new float[p.Value.Length]).ToArray();
    private readonly float[][] _v = parameters.Select(p => new float[p.Value.Length]).ToArray();
    private int _step;

    public double LearningRate { get; set; } = learningRate;

    /// <summary>Moves every parameter against its gradient (which the caller then zeroes).</summary>
    public void Step()
    {
        _step++;
        var correction1 = 1 - Math.Pow(beta1, _step);
        var correction2 = 1 - Math.Pow(beta2, _step);
        for (var p = 0; p < parameters.Count; p++)
        {
            var value = parameters[p].Value;
            var grad = parameters[p].Grad;
            var m = _m[p];
            var v = _v[p];
            for (var i = 0; i < value.Length; i++)
            {
                var g = grad[i] + (float)weightDecay * value[i];
                m[i] = (float)(beta1 * m[i] + (1 - beta1) * g);
                v[i] = (float)(beta2 * v[i] + (1 - beta2) * g * g);
                value[i] -= (float)(LearningRate * (m[i] / correction1) / (Math.Sqrt(v[i] / correction2) + epsilon));
            }
        }
    }
}
