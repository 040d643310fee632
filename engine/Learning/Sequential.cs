namespace SSIS.Batch.Engine.Learning;

/// <summary>Layers applied in order; backward runs them in reverse.</summary>
public sealed class Sequential(IReadOnlyList<ILayer> layers) : ILayer
{
    public IReadOnlyList<ILayer> Layers { get; } = layers;
    public IReadOnlyList<Parameter> Parameters => Layers.SelectMany(l => l.Parameters).ToList();

    public Matrix Forward(Matrix input, bool training) => Layers.Aggregate(input, (x, layer) => layer.Forward(x, training));

    public Matrix Backward(Matrix outputGradient) => Layers.Reverse().Aggregate(outputGradient, (g, layer) => layer.Backward(g));

    public ILayer Replica() => new Sequential(Layers.Select(l => l.Replica()).ToList());

    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.ZeroGrad();
    }
}
