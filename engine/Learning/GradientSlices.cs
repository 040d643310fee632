namespace SSIS.Batch.Engine.Learning;

/// <summary>
/// Spreads a batch over a fixed number of replicas of a network, whatever the core count: item i always goes to replica
/// i mod <see cref="Count"/>, each replica takes its items in order, and the replicas' gradients are summed in replica
/// order. So a seed gives the same weights, bit for bit, on one worker or many.
/// </summary>
public sealed class GradientSlices
{
    public const int Count = 4;

    private readonly Sequential _network;
    private readonly Sequential[] _replicas;
    private readonly ParallelOptions _parallel;

    public GradientSlices(Sequential network, int workers, CancellationToken cancellationToken = default)
    {
        _network = network;
        _replicas = Enumerable.Range(0, Count).Select(_ => (Sequential)network.Replica()).ToArray();
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancellationToken };
    }

    /// <summary>Runs <paramref name="work"/>(replica, item) for every item in [0, items).</summary>
    public void For(int items, Action<Sequential, int> work) =>
        Parallel.For(0, Count, _parallel, s =>
        {
            for (var item = s; item < items; item += Count) work(_replicas[s], item);
        });

    public void ZeroGrad()
    {
        foreach (var replica in _replicas) replica.ZeroGrad();
    }

    /// <summary>The network's gradients become the sum of the replicas' gradients, in replica order.</summary>
    public void SumIntoNetwork()
    {
        var parameters = _network.Parameters;
        var replicaParameters = _replicas.Select(r => r.Parameters).ToArray();
        for (var p = 0; p < parameters.Count; p++)
        {
            var grad = parameters[p].Grad;
            Array.Clear(grad);
            foreach (var replica in replicaParameters) Kernels.AddScaled(replica[p].Grad, 1f, grad);
        }
    }
}
