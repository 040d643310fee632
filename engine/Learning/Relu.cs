namespace SSIS.Batch.Engine.Learning;

/// <summary>max(0, x) element by element.</summary>
public sealed class Relu : ILayer
{
    private Matrix? _output;

    public IReadOnlyList<Parameter> Parameters => [];

    public Matrix Forward(Matrix input, bool training)
    {
        _output = new Matrix(input.Rows, input.Cols);
        System.Numerics.Tensors.TensorPrimitives.Max(input.Data, 0f, _output.Data);
        return _output;
    }

    public Matrix Backward(Matrix outputGradient)
    {
        var output = _output ?? throw new InvalidOperationException("Backward before Forward.");
        var gradient = new Matrix(output.Rows, output.Cols);
        for (var i = 0; i < gradient.Data.Length; i++) gradient.Data[i] = output.Data[i] > 0 ? outputGradient.Data[i] : 0f;
        return gradient;
    }

    public ILayer Replica() => new Relu();
}
