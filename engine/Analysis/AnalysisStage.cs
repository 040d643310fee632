using System.Diagnostics;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Dsp;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Speech;

namespace SSIS.Batch.Engine.Analysis;

/// <summary>
/// A track after analysis: its analysis (or typed error), the crop's fingerprint when asked, its log-mel frames when
/// kept, and, for a candidate too short for a fingerprint, the key of its decoded audio (<see cref="Dedupe.ContentKeys"/>).
/// </summary>
public sealed record AnalyzedTrack(
    ProbedTrack Track,
    TrackAnalysis? Analysis,
    AudioFingerprint? CropFingerprint,
    float[][]? LogMelDb,
    FileError? Error,
    bool FromCache,
    DateTime StartedUtc,
    double ElapsedMs,
    int Attempts = 1,
    string? DecodedAudioKey = null);

/// <summary>
/// Probed track → decode the centre crop once → features and QC at 22,050 Hz, the speech estimate at 16 kHz and, for
/// duplicate candidates when the fingerprint source is the crop, the Chromaprint fingerprint at 11,025 Hz.
/// Cached by (path, size, mtime, stage version and parameters).
/// </summary>
public sealed class AnalysisStage(
    CropDecoder decoder,
    Func<ISpeechDetector> speechDetectorFactory,
    IReadOnlyDictionary<string, CachedAnalysis> cache,
    IReadOnlySet<string> fingerprintPaths,
    bool keepLogMel)
{
    public const string Name = "analysis";

    /// <summary>Bumped when results change for the same audio and parameters.</summary>
    public const int Version = 1;

    private readonly WorkerPool<ISpeechDetector> _speech = new(speechDetectorFactory);
    private readonly WorkerPool<ChromaprintFingerprinter> _fingerprinter = new(() => new ChromaprintFingerprinter());
    private long _cacheHits;

    public long CacheHits => Interlocked.Read(ref _cacheHits);

    public AnalyzedTrack Analyze(ProbedTrack track)
    {
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var wantsFingerprint = fingerprintPaths.Contains(track.Track.Path);
        if (cache.TryGetValue(track.Track.Path, out var cached) && cached.Stamp == track.Stamp
            && (!wantsFingerprint || cached.CropFingerprint is not null) && (!keepLogMel || cached.LogMelDb is not null))
        {
            Interlocked.Increment(ref _cacheHits);
            return new AnalyzedTrack(track, cached.Analysis, cached.CropFingerprint, cached.LogMelDb, null, true, started, 0);
        }
        try
        {
            using var crop = decoder.Decode(track.Track.Path, track.Properties!);
            var peak = Loudness.SamplePeakDbfs(crop.Interleaved);
            var clipping = Loudness.ClippingRatio(crop.Interleaved);
            // Loudness is measured on every channel at the features rate (K-weighting lives below 11 kHz), then the
            // channels are averaged for the features: one resampling serves both.
            using var channelsAtFeatureRate = crop.AtRate(FeatureSummary.SampleRateHz);
            var loudness = Loudness.IntegratedLufs(channelsAtFeatureRate.Span, channelsAtFeatureRate.Channels, channelsAtFeatureRate.SampleRateHz);
            using var featureRate = channelsAtFeatureRate.Downmix();
            var features = FeatureSummary.Compute(featureRate.Span, keepLogMel);
            var speech = _speech.Use(detector =>
            {
                using var speechRate = featureRate.Resample(detector.SampleRateHz);
                return detector.Estimate(speechRate.Span);
            });
            if (!double.IsFinite(features.RmsMean) || !double.IsFinite(features.CentroidMeanHz) || features.MfccMean.Any(float.IsNaN))
                return Failed(track, new FileError(ErrorCode.FeatureNan, "a feature came out NaN or infinite"), started, clock);
            AudioFingerprint? fingerprint = null;
            string? decodedAudioKey = null;
            if (wantsFingerprint)
            {
                using var source = crop.AsSource();
                fingerprint = _fingerprinter.Use(f => f.Compute(source, crop.LengthSeconds));
                // Too short for Chromaprint (about 2 s and less): the whole clip was decoded, so equal samples prove a lossless
                // copy. Not cached, like the missing fingerprint that sends such a clip back through analysis on every run.
                if (fingerprint.Raw.Length == 0)
                {
                    fingerprint = null;
                    decodedAudioKey = ContentKeys.DecodedAudio(crop.Interleaved, crop.Channels, crop.SampleRateHz);
                }
            }
            var analysis = new TrackAnalysis(
                crop.StartSeconds, crop.LengthSeconds, crop.Decoder, loudness, peak, clipping, Loudness.SilenceRatio(features.FrameRms),
                features.RmsMean, features.RmsStd, features.CentroidMeanHz, features.CentroidStdHz, features.RolloffMeanHz,
                features.FlatnessMean, features.FluxMean, features.FluxStd, features.OnsetMean, features.TempoBpm,
                features.MfccMean, features.MfccStd, features.ChromaMean, features.MelMeanDb, features.MelStdDb,
                speech.SpeechProbability, speech.WindowsJudged, speech.Detector);
            return new AnalyzedTrack(track, analysis, fingerprint, features.LogMelDb, null, false, started, clock.Elapsed.TotalMilliseconds,
                DecodedAudioKey: decodedAudioKey);
        }
        catch (AudioDecodeException e)
        {
            return Failed(track, new FileError(e.Code, e.Message), started, clock);
        }
        catch (SpeechDetectionException e)
        {
            return Failed(track, new FileError(ErrorCode.SpeechFailed, e.Message), started, clock);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Failed(track, UnexpectedErrors.From(e), started, clock);
        }
    }

    private static AnalyzedTrack Failed(ProbedTrack track, FileError error, DateTime started, Stopwatch clock) =>
        new(track, null, null, null, error, false, started, clock.Elapsed.TotalMilliseconds);

    /// <summary>Releases the speech detectors (ONNX sessions) the workers used.</summary>
    public void ReleaseDetectors() => _speech.Dispose();
}

/// <summary>An analysis (and the crop fingerprint and log-mel frames, when they were made) and the file version it came from.</summary>
public sealed record CachedAnalysis(State.FileStamp Stamp, TrackAnalysis Analysis, AudioFingerprint? CropFingerprint, float[][]? LogMelDb);
