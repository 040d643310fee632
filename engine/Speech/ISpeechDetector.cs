namespace SSIS.Batch.Engine.Speech;

/// <summary>
/// The share of a crop's 32 ms windows that hold speech, 0..1, and which detector said so. Throws
/// <see cref="SpeechDetectionException"/> when it cannot answer (never a silent 0).
/// </summary>
public interface ISpeechDetector
{
    /// <summary>Name and version, recorded with each result and in the cache key (e.g. "silero-v5").</summary>
    string Name { get; }

    /// <summary>The rate the detector reads, Hz.</summary>
    int SampleRateHz { get; }

    SpeechEstimate Estimate(ReadOnlySpan<float> monoSamples);
}

/// <summary>
/// Share judged speech, how many windows were judged, and, from the segmenter, the seconds of each
/// <see cref="Segments.SegmentLabel"/> in the part it segmented (in label order; null from the other detectors).
/// </summary>
public sealed record SpeechEstimate(double SpeechProbability, int WindowsJudged, string Detector, double[]? LabelSeconds = null);

public sealed class SpeechDetectionException(string message) : Exception(message);
