using SSIS.Batch.Engine.Embedding.Onnx;

namespace SSIS.Batch.Engine.Classify;

/// <summary>Which analysed tracks a classifier runs on, by the speech gate's verdict.</summary>
public enum ClassifyTracks
{
    All,
    Speech,
    Music,
}

/// <summary>What turns the model's raw per-window outputs into scores.</summary>
public enum ScoreActivation
{
    /// <summary>The outputs are scores already (e.g. AudioSet models that end in a sigmoid).</summary>
    None,
    /// <summary>Logits of one-of-N classes (e.g. an emotion model): softmax over the labels.</summary>
    Softmax,
    /// <summary>Logits of independent labels: a sigmoid each.</summary>
    Sigmoid,
}

/// <summary>How window scores become rows of classifications.parquet.</summary>
public enum ClassifierPooling
{
    /// <summary>A row per window.</summary>
    None,
    /// <summary>One row per track: the mean of each label's score over the windows.</summary>
    Mean,
    /// <summary>One row per track: each label's highest score over the windows (AudioSet-style tagging).</summary>
    Max,
}

/// <summary>
/// A user's ONNX classifier (YAML <c>classify:</c>): per window of the analysed crop, one score per line of
/// <paramref name="LabelsPath"/>. Windows are cut as for an ONNX encoder (<see cref="OnnxEncoderSettings"/>).
/// </summary>
public sealed record ClassifierSettings(
    string Name,
    string ModelPath,
    string LabelsPath,
    OnnxInputKind Input = OnnxInputKind.Waveform,
    int SampleRateHz = 16000,
    int MelBands = 64,
    double WindowSeconds = 0.96,
    double HopSeconds = 0.96,
    ClassifyTracks ApplyTo = ClassifyTracks.All,
    ClassifierPooling Pooling = ClassifierPooling.Mean,
    ScoreActivation Activation = ScoreActivation.None,
    int WindowsPerRun = 16)
{
    /// <summary>The window runner's settings: the first output, one vector per window.</summary>
    public OnnxEncoderSettings Windows => new(Name, ModelPath, Input, SampleRateHz, MelBands, WindowSeconds, HopSeconds, null, OnnxPooling.Mean, WindowsPerRun);
}
