using SSIS.Batch.Engine.Analysis;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>What an encoder reads of one track: its analysis (feature summaries). Audio-frame encoders will add frames here.</summary>
public sealed record EncoderInput(long TrackId, string Path, TrackAnalysis Analysis);

/// <summary>
/// Turns tracks into fixed-length vectors. <see cref="Version"/> names the weights and parameters: a change makes a
/// new version, stored beside the old ones so encoders can be compared without re-extraction.
/// </summary>
public interface IAudioEncoder
{
    string Name { get; }
    string Version { get; }
    int Dimension { get; }

    /// <summary>One vector of <see cref="Dimension"/> per input, in order.</summary>
    IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> batch);
}
