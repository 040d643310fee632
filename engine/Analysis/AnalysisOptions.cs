using SSIS.Batch.Engine.Audio;

namespace SSIS.Batch.Engine.Analysis;

public enum SpeechDetectorKind
{
    /// <summary>
    /// The whole-file segmenter on the crop's centre: speech's share of the non-silent time, judged as whole files are
    /// (falls back to the heuristic, said in the run's messages, when its weights or Silero are missing).
    /// </summary>
    Segmenter,
    /// <summary>Silero VAD v5 through ONNX Runtime (falls back to the heuristic, said in the run's messages, when unavailable).</summary>
    Silero,
    /// <summary>The managed heuristic.</summary>
    Heuristic,
}

/// <summary>The speech gate.</summary>
/// <param name="ModelPath">Silero ONNX file (null: native/silero_vad_v5.onnx from setup)</param>
/// <param name="Threshold">with Silero or the heuristic, tracks whose speech probability exceeds it are is_speech (the segmenter
/// is judged by segments.speech_share instead, as whole files are)</param>
/// <param name="Streams">segments of the crop Silero reads side by side in one batch</param>
/// <param name="AnalysedSeconds">seconds of the crop Silero reads, spread over the streams (null: all of it)</param>
/// <param name="SegmentedSeconds">seconds of the crop's centre the segmenter reads (null: all of it)</param>
public sealed record SpeechOptions(
    SpeechDetectorKind Detector = SpeechDetectorKind.Segmenter,
    string? ModelPath = null,
    double Threshold = 0.5,
    int Streams = 16,
    double? AnalysedSeconds = 4,
    double? SegmentedSeconds = 10);

/// <summary>Decode, features, QC and the speech gate.</summary>
public sealed record AnalysisOptions(bool Enabled = true, CropSpec? Crop = null, SpeechOptions? Speech = null, bool WriteMel = false)
{
    public CropSpec CropSettings => Crop ?? new CropSpec();
    public SpeechOptions SpeechSettings => Speech ?? new SpeechOptions();
}
