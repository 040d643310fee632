using Microsoft.ML.OnnxRuntime;
using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Native;

namespace SSIS.Batch.Engine.Speech;

/// <summary>Builds the speech detector a job asks for, falling back to the heuristic when Silero cannot run here.</summary>
public static class SpeechDetectors
{
    public const string SileroModelFile = NativeLibraries.MarkerFile;

    /// <summary>
    /// A factory for one detector per worker thread, and the detector's signature (name and parameters, for the cache
    /// key). <paramref name="fallbackReason"/> says why Silero was not used when it was asked for.
    /// </summary>
    public static (Func<ISpeechDetector> Factory, string Signature) Choose(SpeechOptions options, out string? fallbackReason)
    {
        fallbackReason = null;
        if (options.Detector == SpeechDetectorKind.Silero)
        {
            try
            {
                var model = options.ModelPath ?? Path.Combine(NativeLibraries.FindDirectory() ?? "native", SileroModelFile);
                using (new SileroSpeechDetector(model, options.Streams, options.AnalysedSeconds)) { }
                return (() => new SileroSpeechDetector(model, options.Streams, options.AnalysedSeconds),
                    $"silero-v5/streams={options.Streams}/analysed_s={options.AnalysedSeconds?.ToString() ?? "all"}");
            }
            catch (Exception e) when (e is DllNotFoundException or OnnxRuntimeException or FileNotFoundException or InvalidDataException or TypeInitializationException)
            {
                fallbackReason = $"Silero unavailable ({(e.InnerException ?? e).Message}); using the heuristic speech detector";
            }
        }
        return (() => new HeuristicSpeechDetector(), new HeuristicSpeechDetector().Name);
    }
}
