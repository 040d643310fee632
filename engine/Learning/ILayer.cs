namespace SSIS.Batch.Engine.Learning;

/// <summary>
/// One differentiable step. <see cref="Forward"/> keeps what <see cref="Backward"/> needs, so a layer instance serves
/// one sequence at a time; <see cref="Backward"/> adds to its parameters' gradients and returns the input's gradient.
/// </summary>
public interface ILayer
{
    IReadOnlyList<Parameter> Parameters { get; }
    Matrix Forward(Matrix input, bool training);
    Matrix Backward(Matrix outputGradient);

    /// <summary>A copy that shares the weights but has gradient buffers and caches of its own.</summary>
    ILayer Replica();
}
