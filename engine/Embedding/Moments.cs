namespace SSIS.Batch.Engine.Embedding;

/// <summary>Running mean and population deviation (0 for no values), summed in double.</summary>
internal struct Moments
{
    private int _count;
    private double _sum, _sumOfSquares;

    public void Add(double value)
    {
        _count++;
        _sum += value;
        _sumOfSquares += value * value;
    }

    public readonly double Mean => _count == 0 ? 0 : _sum / _count;
    public readonly double Deviation => _count == 0 ? 0 : Math.Sqrt(Math.Max(0, _sumOfSquares / _count - Mean * Mean));
}
