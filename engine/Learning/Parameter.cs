namespace SSIS.Batch.Engine.Learning;

/// <summary>Trainable values and the gradient of the loss with respect to them (same shape, flattened).</summary>
public sealed class Parameter(string name, float[] value)
{
    public string Name { get; } = name;
    public float[] Value { get; } = value;
    public float[] Grad { get; } = new float[value.Length];

    /// <summary>The same values with a gradient buffer of its own, for a worker thread's replica of a network.</summary>
    public Parameter Share() => new(Name, Value);

    public void ZeroGrad() => Array.Clear(Grad);
}
