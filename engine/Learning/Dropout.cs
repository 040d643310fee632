namespace SSIS.Batch.Engine.Learning;

/// <summary>
/// In training, zeroes each value with probability <c>rate</c> and scales the rest by 1/(1−rate) (inverted dropout), so
/// inference needs no rescaling. Its mask comes from the network's seeded generator; a replica forks its own, so
/// replicas on different threads never race for one generator and each draws the same masks whatever the thread count.
/// </summary>
public sealed class Dropout(double rate, Rng rng) : ILayer
{
    private float[]? _mask;

    public double Rate { get; } = rate is >= 0 and < 1 ? rate : throw new ArgumentOutOfRangeException(nameof(rate), "dropout must be in [0, 1).");
    public IReadOnlyList<Parameter> Parameters => [];

    public Matrix Forward(Matrix input, bool training)
    {
        if (!training || Rate == 0)
        {
            _mask = null;
            return input;
        }
        var keep = (float)(1 / (1 - Rate));
        _mask = input.Data.Select(_ => rng.NextDouble() < Rate ? 0f : keep).ToArray();
        return new Matrix(input.Rows, input.Cols, input.Data.Select((x, i) => x * _mask[i]).ToArray());
    }

    public Matrix Backward(Matrix outputGradient) => _mask is null ? outputGradient
        : new Matrix(outputGradient.Rows, outputGradient.Cols, outputGradient.Data.Select((g, i) => g * _mask[i]).ToArray());

    public ILayer Replica() => new Dropout(Rate, rng.Fork());
}
