namespace SSIS.Batch.Engine.Learning;

/// <summary>Scales each row to unit length, so dot products between rows are cosine similarities.</summary>
public sealed class L2Normalize : ILayer
{
    private Matrix? _output;
    private float[]? _norms;

    public IReadOnlyList<Parameter> Parameters => [];

    public Matrix Forward(Matrix input, bool training)
    {
        _output = new Matrix(input.Rows, input.Cols);
        _norms = new float[input.Rows];
        for (var r = 0; r < input.Rows; r++)
        {
            var norm = MathF.Max(MathF.Sqrt(Kernels.Dot(input.Row(r), input.Row(r))), 1e-8f);
            _norms[r] = norm;
            Kernels.AddScaled(input.Row(r), 1 / norm, _output.Row(r));
        }
        return _output;
    }

    public Matrix Backward(Matrix outputGradient)
    {
        var y = _output ?? throw new InvalidOperationException("Backward before Forward.");
        var gradient = new Matrix(y.Rows, y.Cols);
        for (var r = 0; r < y.Rows; r++)
        {
            var g = outputGradient.Row(r);
            var along = Kernels.Dot(y.Row(r), g);
            var dx = gradient.Row(r);
            Kernels.AddScaled(g, 1 / _norms![r], dx);
            Kernels.AddScaled(y.Row(r), -along / _norms[r], dx);
        }
        return gradient;
    }

    public ILayer Replica() => new L2Normalize();
}
