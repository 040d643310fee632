using System.Diagnostics;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Fingerprint;

/// <summary>
/// A candidate after fingerprinting: its fingerprint, the typed error that stopped it, or why it was skipped (audio too
/// short to fingerprint is no fault of the file: it just cannot be matched).
/// </summary>
public sealed record FingerprintedTrack(ProbedTrack Track, AudioFingerprint? Fingerprint, FileError? Error, bool FromCache, DateTime StartedUtc,
    double ElapsedMs, string? SkippedBecause = null, int Attempts = 1) : IFileOutcome<FingerprintedTrack>, Pipeline.ICachedResult
{
    public FingerprintedTrack WithAttempts(int attempts) => this with { Attempts = attempts };
}

/// <summary>
/// Duplicate candidate → Chromaprint fingerprint, decoded in process (libsndfile, ffmpeg pipe for the rest), reused
/// from the state store when the file and the source are unchanged.
/// </summary>
public sealed class FingerprintStage(AudioDecoder decoder, FingerprintSource source, CropSpec crop, IReadOnlyDictionary<string, CachedFingerprint> cache)
{
    public const string Name = "fingerprint";

    /// <summary>Bumped when fingerprints change for the same audio, so cached ones are recomputed.</summary>
    public const int Version = 1;

    private readonly WorkerPool<ChromaprintFingerprinter> _fingerprinter = new(() => new ChromaprintFingerprinter());
    private long _cacheHits;

    /// <summary>Why a candidate whose audio gives no fingerprint items is skipped; the empty fingerprint is cached so the file is not decoded again.</summary>
    public const string TooShort = "too short for a fingerprint";

    public long CacheHits => Interlocked.Read(ref _cacheHits);

    public FingerprintedTrack Fingerprint(ProbedTrack track)
    {
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        if (cache.TryGetValue(track.Track.Path, out var cached) && cached.Stamp == track.Stamp)
        {
            Interlocked.Increment(ref _cacheHits);
            return cached.Fingerprint.Raw.Length == 0
                ? new FingerprintedTrack(track, null, null, true, started, 0, TooShort)
                : new FingerprintedTrack(track, cached.Fingerprint, null, true, started, 0);
        }
        try
        {
            var (start, length) = Span(track.Properties!.DurationSeconds);
            using var audio = decoder.Open(track.Track.Path, track.Properties, start, length);
            var fingerprint = _fingerprinter.Use(f => f.Compute(audio, length ?? ChromaprintFingerprinter.AcoustIdSeconds));
            if (fingerprint.Raw.Length == 0)
                return new FingerprintedTrack(track, null, null, false, started, clock.Elapsed.TotalMilliseconds, TooShort);
            return new FingerprintedTrack(track, fingerprint, null, false, started, clock.Elapsed.TotalMilliseconds);
        }
        catch (AudioDecodeException e)
        {
            return new FingerprintedTrack(track, null, new FileError(e.Code, e.Message), false, started, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new FingerprintedTrack(track, null, UnexpectedErrors.From(e), false, started, clock.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>Where to start and how much to take: the first 120 s for acoustid, the centre crop for crop.</summary>
    private (double Start, double? Length) Span(double durationSeconds) =>
        source == FingerprintSource.AcoustId ? (0, null) : crop.Span(durationSeconds);
}
