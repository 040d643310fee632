namespace SSIS.Batch.Engine.Learning;

/// <summary>y = x·Wᵀ + b for each row; W is [outputs × inputs].</summary>
public sealed class Linear : ILayer
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private Matrix? _input;

    public int Inputs { get; }
    public int Outputs { get; }
    public IReadOnlyList<Parameter> Parameters => [_weight, _bias];

    private Linear(int inputs, int outputs, Parameter weight, Parameter bias) =>
        (Inputs, Outputs, _weight, _bias) = (inputs, outputs, weight, bias);

    /// <summary>He-uniform initial weights (suited to ReLU), zero bias.</summary>
    public Linear(string name, int inputs, int outputs, Rng rng)
        : this(inputs, outputs, new Parameter($"{name}.weight", HeUniform(inputs, outputs, rng)), new Parameter($"{name}.bias", new float[outputs])) { }

    private static float[] HeUniform(int inputs, int outputs, Rng rng)
    {
        var limit = Math.Sqrt(6.0 / inputs);
        return Enumerable.Range(0, inputs * outputs).Select(_ => (float)((2 * rng.NextDouble() - 1) * limit)).ToArray();
    }

    public Matrix Forward(Matrix input, bool training)
    {
        if (input.Cols != Inputs) throw new ArgumentException($"Linear layer takes {Inputs} features, got {input.Cols}.");
        _input = input;
        var output = new Matrix(input.Rows, Outputs);
        var w = _weight.Value;
        for (var r = 0; r < input.Rows; r++)
        {
            var x = input.Row(r);
            var y = output.Row(r);
            for (var o = 0; o < Outputs; o++) y[o] = Kernels.Dot(x, w.AsSpan(o * Inputs, Inputs)) + _bias.Value[o];
        }
        return output;
    }

    public Matrix Backward(Matrix outputGradient)
    {
        var input = _input ?? throw new InvalidOperationException("Backward before Forward.");
        var inputGradient = new Matrix(input.Rows, Inputs);
        var w = _weight.Value;
        for (var r = 0; r < input.Rows; r++)
        {
            var dy = outputGradient.Row(r);
            var x = input.Row(r);
            var dx = inputGradient.Row(r);
            for (var o = 0; o < Outputs; o++)
            {
                if (dy[o] == 0) continue;
                Kernels.AddScaled(w.AsSpan(o * Inputs, Inputs), dy[o], dx);
                Kernels.AddScaled(x, dy[o], _weight.Grad.AsSpan(o * Inputs, Inputs));
                _bias.Grad[o] += dy[o];
            }
        }
        return inputGradient;
    }

    public ILayer Replica() => new Linear(Inputs, Outputs, _weight.Share(), _bias.Share());
}
