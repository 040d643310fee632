namespace SSIS.Batch.Engine.Embedding.Onnx;

/// <summary>What the model takes per window.</summary>
public enum OnnxInputKind
{
    /// <summary>Mono samples at <c>SampleRateHz</c>: a [windows × samples] tensor.</summary>
    Waveform,
    /// <summary>Log-mel power in dB (25 ms Hann windows, 10 ms hop, <c>MelBands</c> bands): [windows × frames × bands], or [windows × 1 × frames × bands] for a rank-4 input.</summary>
    LogMel,
}

/// <summary>How per-window outputs become one vector.</summary>
public enum OnnxPooling
{
    /// <summary>The mean over windows of the first named output.</summary>
    Mean,
    /// <summary>Mean and standard deviation over windows of the first named output, concatenated.</summary>
    MeanStd,
    /// <summary>The mean over windows of each named output, concatenated (e.g. several transformer layers).</summary>
    Layers,
}

/// <summary>
/// A user's ONNX audio model. The crop is cut into windows of <paramref name="WindowSeconds"/> every
/// <paramref name="HopSeconds"/>; each named output gives one vector per window (values after the window axis are
/// averaged down to the last axis, so [windows × tokens × D] outputs work too); <paramref name="Pooling"/> joins the windows.
/// </summary>
public sealed record OnnxEncoderSettings(
    string Name,
    string ModelPath,
    OnnxInputKind Input = OnnxInputKind.Waveform,
    int SampleRateHz = 16000,
    int MelBands = 64,
    double WindowSeconds = 0.96,
    double HopSeconds = 0.48,
    IReadOnlyList<string>? Outputs = null,
    OnnxPooling Pooling = OnnxPooling.Mean,
    int WindowsPerRun = 16)
{
    public int WindowSamples => (int)Math.Round(WindowSeconds * SampleRateHz);
    public int HopSamples => Math.Max(1, (int)Math.Round(HopSeconds * SampleRateHz));
}
