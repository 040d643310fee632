using System.Numerics;

namespace SSIS.Batch.Engine.Learning;

/// <summary>A dense row-major matrix of floats: rows are frames or batch items, columns are features.</summary>
public sealed class Matrix(int rows, int cols, float[] data)
{
    public int Rows { get; } = rows;
    public int Cols { get; } = cols;
    public float[] Data { get; } = data.Length == rows * cols ? data : throw new ArgumentException($"{data.Length} values do not make {rows}×{cols}.");

    public Matrix(int rows, int cols) : this(rows, cols, new float[rows * cols]) { }

    public Span<float> Row(int row) => Data.AsSpan(row * Cols, Cols);

    public float this[int row, int col]
    {
        get => Data[row * Cols + col];
        set => Data[row * Cols + col] = value;
    }

    public static Matrix FromRows(IReadOnlyList<float[]> rows)
    {
        var cols = rows.Count == 0 ? 0 : rows[0].Length;
        var m = new Matrix(rows.Count, cols);
        for (var r = 0; r < rows.Count; r++) rows[r].CopyTo(m.Row(r));
        return m;
    }
}

/// <summary>
/// Vector kernels with a fixed summation order. TensorPrimitives' reductions may start at an aligned address, which makes
/// the rounding depend on where the GC put an array; training must give the same bits on every run.
/// </summary>
public static class Kernels
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var width = Vector<float>.Count;
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width) sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        var total = Vector.Sum(sum);
        for (; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }

    /// <summary>y += scale · x, element by element.</summary>
    public static void AddScaled(ReadOnlySpan<float> x, float scale, Span<float> y)
    {
        var width = Vector<float>.Count;
        var s = new Vector<float>(scale);
        var i = 0;
        for (; i <= x.Length - width; i += width) (new Vector<float>(y[i..]) + s * new Vector<float>(x[i..])).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] += scale * x[i];
    }
}
