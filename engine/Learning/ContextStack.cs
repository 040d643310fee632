namespace SSIS.Batch.Engine.Learning;

/// <summary>
/// [frames × channels] → [(frames − width + 1) × (width · channels)]: each output row is <c>width</c> consecutive
/// frames side by side, so the following linear layer is a 1-D convolution of that width over time.
/// </summary>
public sealed class ContextStack(int width) : ILayer
{
    private int _inputRows;

    public int Width { get; } = width >= 1 ? width : throw new ArgumentOutOfRangeException(nameof(width));
    public IReadOnlyList<Parameter> Parameters => [];

    public Matrix Forward(Matrix input, bool training)
    {
        if (input.Rows < Width) throw new ArgumentException($"A sequence of {input.Rows} frames is shorter than the context of {Width}.");
        _inputRows = input.Rows;
        var output = new Matrix(input.Rows - Width + 1, Width * input.Cols);
        for (var t = 0; t < output.Rows; t++)
            input.Data.AsSpan(t * input.Cols, Width * input.Cols).CopyTo(output.Row(t));
        return output;
    }

    public Matrix Backward(Matrix outputGradient)
    {
        var channels = outputGradient.Cols / Width;
        var gradient = new Matrix(_inputRows, channels);
        for (var t = 0; t < outputGradient.Rows; t++)
            Kernels.AddScaled(outputGradient.Row(t), 1f, gradient.Data.AsSpan(t * channels, Width * channels));
        return gradient;
    }

    public ILayer Replica() => new ContextStack(Width);
}
