using SSIS.Batch.Engine.Embedding.Onnx;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>The encoders a job can name.</summary>
public static class Encoders
{
    public const string DspName = "dsp";
    public const string ContrastiveName = "contrastive";
    public const string SpectralName = "spectral";
    /// <summary>The contrastive encoder fine-tuned with the rating head (model.regressor: joint); not listed in embed.encoders.</summary>
    public const string JointName = "contrastive-joint";

    /// <summary>Built-in names, then the job's ONNX entries.</summary>
    public static IReadOnlyList<string> Available(IEnumerable<OnnxEncoderSettings> onnx) => [DspName, ContrastiveName, SpectralName, .. onnx.Select(o => o.Name)];

    /// <param name="contrastive">loads or trains the contrastive encoder (it needs the analysed tracks)</param>
    public static IAudioEncoder Create(string name, EmbedOptions options, Func<IAudioEncoder> contrastive) => name switch
    {
        DspName => new DspEncoder(),
        ContrastiveName => contrastive(),
        SpectralName => new SpectralEncoder(),
        _ => options.OnnxSettings.FirstOrDefault(o => o.Name == name) is { } onnx ? new OnnxEncoder(onnx)
            : throw new ArgumentException($"Unknown encoder '{name}'; available: {string.Join(", ", Available(options.OnnxSettings))}."),
    };
}
