namespace SSIS.Batch.Engine.Embedding;

/// <summary>The encoders a job can name.</summary>
public static class Encoders
{
    public static readonly IReadOnlyList<string> Available = ["dsp"];

    public static IEnumerable<IAudioEncoder> Create(IEnumerable<string> names) => names.Select(name => name switch
    {
        "dsp" => (IAudioEncoder)new DspEncoder(),
        _ => throw new ArgumentException($"Unknown encoder '{name}'; available: {string.Join(", ", Available)}."),
    });
}
