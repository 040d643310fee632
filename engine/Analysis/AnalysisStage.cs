using System.Diagnostics;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Dsp;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Speech;

namespace SSIS.Batch.Engine.Analysis;

/// <summary>
/// A track after analysis: its analysis (or typed error), the crop's fingerprint when one was tried
/// (<paramref name="FingerprintTried"/>; a crop too short for one has none, and carries the key of its decoded audio
/// instead, <paramref name="DecodedAudioKey"/>, see <see cref="Dedupe.ContentKeys"/>). The records the analysis
/// barrier collects hold no audio-derived arrays: <paramref name="LogMelForStore"/> carries a fresh excerpt to the state
/// store's writer, which keeps it and lets it go; <paramref name="LogMelDb"/> is filled from the store only while
/// mel.parquet is written.
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
    bool FingerprintTried = false,
    PendingLogMel? LogMelForStore = null,
    string? DecodedAudioKey = null) : IFileOutcome<AnalyzedTrack>, Pipeline.ICachedResult
{
    public AnalyzedTrack WithAttempts(int attempts) => this with { Attempts = attempts };

    /// <summary>What the barriers hold once the result is stored: the analysis without its feature statistics.</summary>
    public AnalyzedTrack Compact() => Analysis is { HasFeatures: true } full ? this with { Analysis = full.WithoutFeatures() } : this;
}

/// <summary>A fresh log-mel excerpt on its way from a worker to the state store's single writer, which takes it once.</summary>
public sealed class PendingLogMel(LogMelExcerpt excerpt)
{
    private LogMelExcerpt? _excerpt = excerpt;

    /// <summary>The excerpt, handed over once: afterwards the record that carried it no longer holds it.</summary>
    public LogMelExcerpt Take() => Interlocked.Exchange(ref _excerpt, null)
        ?? throw new InvalidOperationException("This log-mel excerpt was already stored.");
}

/// <summary>
/// Probed track → decode the centre crop once → features, spectral values and QC at 22,050 Hz, the speech estimate at 16 kHz and, for
/// duplicate candidates when the fingerprint source is the crop, the Chromaprint fingerprint at 11,025 Hz.
/// Cached by (path, size, mtime, stage version and parameters), lasting failures included; files the crop refuses
/// (too long, too short) are refused from their probed duration without being opened.
/// </summary>
/// <param name="keepLogMel">store each fresh analysis's log-mel excerpt (<see cref="LogMelExcerpt"/>) for the encoders that read it</param>
/// <param name="retryFailed">analyse files whose lasting failure is cached again</param>
public sealed class AnalysisStage(
    CropDecoder decoder,
    Func<ISpeechDetector> speechDetectorFactory,
    IReadOnlyDictionary<string, CachedAnalysis> cache,
    IReadOnlySet<string> fingerprintPaths,
    bool keepLogMel,
    bool retryFailed = false)
{
    public const string Name = "analysis";

    /// <summary>Bumped when results change for the same audio and parameters.</summary>
    public const int Version = 2;

    /// <summary>
    /// What names the stage's results beside its parameters: its version and that of the spectral values it computes
    /// (<see cref="SpectralEncoder.DescriptorVersion"/>), for the cache key and a shard's settings alike.
    /// </summary>
    public static string ResultsVersion => $"{Version};spectral={SpectralEncoder.DescriptorVersion}";

    private readonly WorkerPool<ISpeechDetector> _speech = new(speechDetectorFactory);
    private readonly WorkerPool<ChromaprintFingerprinter> _fingerprinter = new(() => new ChromaprintFingerprinter());
    private long _cacheHits;
    private long _filesOpened;

    /// <summary>Tracks served from the cache: analyses and lasting failures.</summary>
    public long CacheHits => Interlocked.Read(ref _cacheHits);

    /// <summary>Audio files this stage opened (its decodes, retries included).</summary>
    public long FilesOpened => Interlocked.Read(ref _filesOpened);

    public AnalyzedTrack Analyze(ProbedTrack track)
    {
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        // The job's duration limits apply before the cache, so an analysis cached under wider limits is not served.
        if (decoder.Refusal(track.Properties!) is { } refusal) return Failed(track, refusal, started, clock);
        var wantsFingerprint = fingerprintPaths.Contains(track.Track.Path);
        if (cache.TryGetValue(track.Track.Path, out var cached) && cached.Stamp == track.Stamp && Covers(cached, wantsFingerprint))
        {
            Interlocked.Increment(ref _cacheHits);
            return new AnalyzedTrack(track, cached.Analysis, cached.CropFingerprint, null, cached.Error, true, started, 0,
                FingerprintTried: cached.FingerprintTried, DecodedAudioKey: cached.DecodedAudioKey);
        }
        try
        {
            Interlocked.Increment(ref _filesOpened);
            using var crop = decoder.Decode(track.Track.Path, track.Properties!);
            var peak = Loudness.SamplePeakDbfs(crop.Interleaved);
            var clipping = Loudness.ClippingRatio(crop.Interleaved);
            // Loudness is measured on every channel at the features rate (K-weighting lives below 11 kHz), then the
            // channels are averaged for the features: one resampling serves both.
            using var channelsAtFeatureRate = crop.AtRate(FeatureSummary.SampleRateHz);
            var loudness = Loudness.IntegratedLufs(channelsAtFeatureRate.Span, channelsAtFeatureRate.Channels, channelsAtFeatureRate.SampleRateHz);
            using var featureRate = channelsAtFeatureRate.Downmix();
            var features = FeatureSummary.Compute(featureRate.Span, LogMelExcerpt.AnalysisFramesRead);
            var excerpt = LogMelExcerpt.FromAnalysisFrames(features.LogMelDb);
            var spectralValues = SpectralEncoder.Describe(excerpt.ToPooledDb());
            var logMel = keepLogMel ? new PendingLogMel(excerpt) : null;
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
                // copy. Cached with the analysis, in the fingerprint's place.
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
                features.MfccMean, features.MfccStd, features.ChromaMean, features.MelMeanDb, features.MelStdDb, spectralValues,
                speech.SpeechProbability, speech.WindowsJudged, speech.Detector, speech.LabelSeconds);
            return new AnalyzedTrack(track, analysis, fingerprint, null, null, false, started, clock.Elapsed.TotalMilliseconds,
                FingerprintTried: wantsFingerprint, LogMelForStore: logMel, DecodedAudioKey: decodedAudioKey);
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

    /// <summary>
    /// Whether a cached result serves this run: a lasting failure (unless failures are retried), or an analysis that
    /// tried the fingerprint when one is wanted (a crop too short for one stays without) and kept the log-mel excerpt
    /// when it is needed.
    /// </summary>
    private bool Covers(CachedAnalysis cached, bool wantsFingerprint) => cached.Error is not null
        ? !retryFailed
        : (!wantsFingerprint || cached.FingerprintTried) && (!keepLogMel || cached.HasLogMel);

    private static AnalyzedTrack Failed(ProbedTrack track, FileError error, DateTime started, Stopwatch clock) =>
        new(track, null, null, null, error, false, started, clock.Elapsed.TotalMilliseconds);

    /// <summary>Releases the speech detectors (ONNX sessions) the workers used.</summary>
    public void ReleaseDetectors() => _speech.Dispose();
}

/// <summary>
/// A cached analysis (with the crop fingerprint when one was tried and came out, and whether the store holds its log-mel
/// excerpt), or a lasting failure, and the file version it came from.
/// </summary>
public sealed record CachedAnalysis(State.FileStamp Stamp, TrackAnalysis? Analysis, FileError? Error, AudioFingerprint? CropFingerprint,
    bool FingerprintTried, bool HasLogMel, string? DecodedAudioKey = null);
