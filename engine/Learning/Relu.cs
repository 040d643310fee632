namespace SSIS.Batch.Engine.Learning;

/// <summary>max(0, x) element by element.</summary>
public sealed class Relu : ILayer
{
    private Matrix? _output;

    public IReadOnlyList<Parameter> Parameters => [];

    public Matrix Forward(Matrix input, bool training)
    {
        _output = new Matrix(input.Rows, input.Cols, input.Data.Select(x => x > 0 ? x : 0f).ToArray());
        return _output;
    }

    public Matrix Backward(Matrix outputGradient)
    {
        var output = _output ?? throw new InvalidOperationException("Backward before Forward.");
        return new Matrix(output.Rows, output.Cols, outputGradient.Data.Select((g, i) => output.Data[i] > 0 ? g : 0f).ToArray());
    }

    public ILayer Replica() => new Relu();
}
