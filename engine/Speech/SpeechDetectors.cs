using Microsoft.ML.OnnxRuntime;
using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Native;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Engine.Speech;

/// <summary>Builds the speech detector a job asks for, falling back to the heuristic when its model cannot run here.</summary>
public static class SpeechDetectors
{
    public const string SileroModelFile = NativeLibraries.MarkerFile;

    /// <summary>
    /// A factory for one detector per worker thread, and the detector's signature (name and parameters, for the cache
    /// key). <paramref name="segmentParameters"/> are the segmenter's post-processing (segments.*), which the
    /// <c>segmenter</c> detector shares with whole-file segmentation. <paramref name="fallbackReason"/> says why the
    /// detector asked for was not used.
    /// </summary>
    public static (Func<ISpeechDetector> Factory, string Signature) Choose(SpeechOptions options, SegmentOptions segmentParameters, out string? fallbackReason)
    {
        fallbackReason = null;
        try
        {
            switch (options.Detector)
            {
                case SpeechDetectorKind.Segmenter:
                {
                    // The weights are read once and shared: concurrent inference takes per-call replicas (without Dropout),
                    // so only the Silero session is per worker (in each detector).
                    var model = SegmenterModel.Load(SegmenterModel.DefaultPath);
                    using (new SileroStream()) { }
                    var segmented = options.SegmentedSeconds;
                    return (() => new SegmenterSpeechDetector(new FileSegmenter(model, segmentParameters), segmented),
                        $"{model.Version}/segmented_s={segmented?.ToString() ?? "all"}/{SegmentSettings.ParametersHash(segmentParameters)}");
                }
                case SpeechDetectorKind.Silero:
                {
                    var model = options.ModelPath ?? Path.Combine(NativeLibraries.FindDirectory() ?? "native", SileroModelFile);
                    using (new SileroSpeechDetector(model, options.Streams, options.AnalysedSeconds)) { }
                    return (() => new SileroSpeechDetector(model, options.Streams, options.AnalysedSeconds),
                        $"silero-v5/streams={options.Streams}/analysed_s={options.AnalysedSeconds?.ToString() ?? "all"}");
                }
            }
        }
        catch (Exception e) when (e is DllNotFoundException or OnnxRuntimeException or FileNotFoundException or InvalidDataException or TypeInitializationException)
        {
            fallbackReason = $"{options.Detector} unavailable ({(e.InnerException ?? e).Message}); using the heuristic speech detector, " +
                             "which takes more music for speech (those tracks leave training and recommendations). The Silero model is looked for in " +
                             "speech.model, else SSIS_NATIVE_DIR, else a native/ folder above the engine, the segmenter's weights beside the engine: " +
                             "./run.sh build puts both in place";
        }
        return (() => new HeuristicSpeechDetector(), new HeuristicSpeechDetector().Name);
    }
}
