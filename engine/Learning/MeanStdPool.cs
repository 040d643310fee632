namespace SSIS.Batch.Engine.Learning;

/// <summary>
/// Temporal pooling: [frames × channels] → one row of [mean per channel, standard deviation per channel], so a
/// sequence of any length becomes a fixed-length vector.
/// </summary>
public sealed class MeanStdPool : ILayer
{
    private const float Epsilon = 1e-5f;
    private Matrix? _input;
    private float[]? _mean;
    private float[]? _std;

    public IReadOnlyList<Parameter> Parameters => [];

    public Matrix Forward(Matrix input, bool training)
    {
        if (input.Rows == 0) throw new ArgumentException("Cannot pool an empty sequence.");
        _input = input;
        int frames = input.Rows, channels = input.Cols;
        var mean = new double[channels];
        var square = new double[channels];
        for (var t = 0; t < frames; t++)
        {
            var row = input.Row(t);
            for (var c = 0; c < channels; c++)
            {
                mean[c] += row[c];
                square[c] += (double)row[c] * row[c];
            }
        }
        _mean = mean.Select(s => (float)(s / frames)).ToArray();
        _std = square.Select((s, c) => (float)Math.Sqrt(Math.Max(0, s / frames - (double)_mean[c] * _mean[c]) + Epsilon)).ToArray();
        return new Matrix(1, 2 * channels, [.. _mean, .. _std]);
    }

    public Matrix Backward(Matrix outputGradient)
    {
        var input = _input ?? throw new InvalidOperationException("Backward before Forward.");
        int frames = input.Rows, channels = input.Cols;
        var gradient = new Matrix(frames, channels);
        var g = outputGradient.Row(0);
        for (var t = 0; t < frames; t++)
        {
            var x = input.Row(t);
            var dx = gradient.Row(t);
            for (var c = 0; c < channels; c++)
                dx[c] = (g[c] + g[channels + c] * (x[c] - _mean![c]) / _std![c]) / frames;
        }
        return gradient;
    }

    public ILayer Replica() => new MeanStdPool();
}
