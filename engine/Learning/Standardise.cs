namespace SSIS.Batch.Engine.Learning;

/// <summary>
/// Fixed per-column z-scores, (x − mean) / std, with a column whose std is 0 mapped to 0: a network's input scaling
/// that training leaves alone (no parameters).
/// </summary>
public sealed class Standardise(float[] mean, float[] std) : ILayer
{
    /// <summary>The deviation at or below which a dimension counts as constant and maps to 0.</summary>
    public const float MinStd = 1e-9f;

    public IReadOnlyList<Parameter> Parameters => [];

    public Matrix Forward(Matrix input, bool training) => Map(input, (x, c) => std[c] > MinStd ? (x - mean[c]) / std[c] : 0f);

    public Matrix Backward(Matrix outputGradient) => Map(outputGradient, (g, c) => std[c] > MinStd ? g / std[c] : 0f);

    public ILayer Replica() => this;

    private static Matrix Map(Matrix m, Func<float, int, float> f)
    {
        var result = new Matrix(m.Rows, m.Cols);
        for (var i = 0; i < m.Data.Length; i++) result.Data[i] = f(m.Data[i], i % m.Cols);
        return result;
    }
}
