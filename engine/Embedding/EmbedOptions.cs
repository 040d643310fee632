using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Embedding.Onnx;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>Which encoders a job runs, and their settings.</summary>
/// <param name="Encoders">names: dsp, spectral, contrastive, or the name of an <paramref name="Onnx"/> entry (default: <see cref="DefaultEncoders"/>)</param>
/// <param name="Contrastive">the contrastive encoder's shape and training</param>
/// <param name="ContrastiveCheckpoint">where its trained network is kept (default: STATE/encoders/contrastive.ckpt)</param>
/// <param name="Onnx">the user's ONNX models, each under its own name</param>
public sealed record EmbedOptions(
    IReadOnlyList<string>? Encoders = null,
    ContrastiveSettings? Contrastive = null,
    string? ContrastiveCheckpoint = null,
    IReadOnlyList<OnnxEncoderSettings>? Onnx = null)
{
    /// <summary>
    /// dsp, spectral and contrastive: the rating model's default input reads all three (chosen on liked/disliked rules the
    /// engine was not tuned on; README "Choosing the defaults").
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultEncoders =
        [Embedding.Encoders.DspName, Embedding.Encoders.SpectralName, Embedding.Encoders.ContrastiveName];

    public IReadOnlyList<string> EncoderNames => Encoders ?? DefaultEncoders;
    public ContrastiveSettings ContrastiveSettings => Contrastive ?? new ContrastiveSettings();
    public IReadOnlyList<OnnxEncoderSettings> OnnxSettings => Onnx ?? [];
    /// <summary>Whether the state keeps each track's log-mel excerpt: only the contrastive encoder trains on it.</summary>
    public bool ReadsLogMel => EncoderNames.Contains(Embedding.Encoders.ContrastiveName);

    public string CheckpointPath(string stateFolder) => ContrastiveCheckpoint ?? Path.Combine(stateFolder, "encoders", "contrastive.ckpt");
}
