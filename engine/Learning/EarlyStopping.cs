namespace SSIS.Batch.Engine.Learning;

/// <summary>
/// Keeps a copy of the weights with the lowest validation loss and says when <c>patience</c> epochs have passed
/// without a better one.
/// </summary>
public sealed class EarlyStopping(IReadOnlyList<Parameter> parameters, int patience)
{
    private const double MinImprovement = 1e-6;

    public double BestLoss { get; private set; } = double.PositiveInfinity;
    public int BestEpoch { get; private set; }
    public IReadOnlyList<float[]> BestValues { get; private set; } = Snapshot(parameters);

    /// <summary>Records an epoch's validation loss; true when training should stop.</summary>
    public bool Observe(int epoch, double validationLoss)
    {
        if (validationLoss < BestLoss - MinImprovement)
        {
            (BestLoss, BestEpoch, BestValues) = (validationLoss, epoch, Snapshot(parameters));
            return false;
        }
        return epoch - BestEpoch >= patience;
    }

    /// <summary>Puts the best weights back into the parameters.</summary>
    public void RestoreBest()
    {
        foreach (var (parameter, values) in parameters.Zip(BestValues)) values.CopyTo(parameter.Value, 0);
    }

    /// <summary>
    /// Indices [0, count) shuffled, the first <paramref name="share"/> held out for validation; none held out below 10
    /// items or with a share of 0, where the training loss is monitored instead.
    /// </summary>
    public static (List<int> Train, List<int> Validation) Split(int count, double share, Rng rng)
    {
        var order = Enumerable.Range(0, count).ToList();
        rng.Shuffle(order);
        var validationCount = count >= 10 && share > 0 ? Math.Max(2, (int)Math.Round(share * count)) : 0;
        return (order.Skip(validationCount).ToList(), order.Take(validationCount).ToList());
    }

    private static List<float[]> Snapshot(IReadOnlyList<Parameter> parameters) => parameters.Select(p => (float[])p.Value.Clone()).ToList();
}
