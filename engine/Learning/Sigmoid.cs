namespace SSIS.Batch.Engine.Learning;

/// <summary>1 / (1 + e^−x) element by element: squeezes a regressor's output into [0, 1], the range of ratings.</summary>
public sealed class Sigmoid : ILayer
{
    private Matrix? _output;

    public IReadOnlyList<Parameter> Parameters => [];

    public Matrix Forward(Matrix input, bool training)
    {
        _output = new Matrix(input.Rows, input.Cols, input.Data.Select(x => (float)(1 / (1 + Math.Exp(-x)))).ToArray());
        return _output;
    }

    public Matrix Backward(Matrix outputGradient)
    {
        var y = (_output ?? throw new InvalidOperationException("Backward before Forward.")).Data;
        return new Matrix(_output.Rows, _output.Cols, outputGradient.Data.Select((g, i) => g * y[i] * (1 - y[i])).ToArray());
    }

    public ILayer Replica() => new Sigmoid();
}
