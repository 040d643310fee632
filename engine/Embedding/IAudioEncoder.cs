using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>What an encoder reads of a track, beyond its analysis.</summary>
public enum EncoderReads
{
    /// <summary>The analysis's feature statistics only.</summary>
    Features,
    /// <summary>The log-mel excerpt the state store keeps of each analysed track (<see cref="Contrastive.LogMelExcerpt"/>).</summary>
    LogMel,
    /// <summary>The mono centre crop at a rate of the encoder's choosing (decoded again for tracks it has not embedded).</summary>
    Waveform,
}

/// <summary>
/// What an encoder reads of one track: its analysis, its stored log-mel excerpt [frames × 64 bands] in dB at the
/// encoder's 20 ms frame rate when the encoder reads it, and its mono centre crop at a given rate (Hz) when it reads the
/// waveform.
/// </summary>
public sealed record EncoderInput(long TrackId, string Path, TrackAnalysis Analysis, Matrix? PooledLogMelDb = null, Func<int, float[]>? MonoCrop = null);

/// <summary>
/// Turns tracks into fixed-length vectors. <see cref="Version"/> names the weights and parameters: a change makes a
/// new version, stored beside the old ones so encoders can be compared without re-extraction. Encode may be called
/// from several threads at once.
/// </summary>
public interface IAudioEncoder
{
    string Name { get; }
    string Version { get; }
    int Dimension { get; }
    EncoderReads Reads { get; }

    /// <summary>Its vectors are z-scored per dimension over the library (hand-made features in mixed units).</summary>
    bool Standardised => false;

    /// <summary>One vector of <see cref="Dimension"/> per input, in order.</summary>
    IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> batch);
}
