using System.Diagnostics;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Probe;

/// <summary>
/// Catalog entry → probed track. Stats the file (no open) and reuses the cached probe when size and mtime match,
/// so an unchanged library is not read at all. With <paramref name="retryFailed"/>, cached failures are probed again.
/// A record whose catalog has no metadata (a folder scan) gets the file's tags, cached ones included.
/// </summary>
public sealed class ProbeStage(AudioProber prober, IReadOnlyDictionary<string, CachedProbe> cache, bool retryFailed = false)
{
    public const string Name = "probe";

    private long _cacheHits;

    public long CacheHits => Interlocked.Read(ref _cacheHits);

    public ProbedTrack Probe(TrackRecord track)
    {
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        ProbedTrack Done(FileStamp? stamp, ProbeOutcome? outcome, TrackStatus status, FileError? error, bool cached) =>
            new(FromFile(track, outcome), stamp, outcome, status, error, cached, started, clock.Elapsed.TotalMilliseconds);

        if (track.Unavailable) return Done(null, null, TrackStatus.Unavailable, null, false);
        if (track.UnreadableLocation is { } location)
            return Done(null, null, TrackStatus.Error, new FileError(ErrorCode.NotALocalFile, $"not a local file: {location}"), false);

        FileStamp? stamp = null;
        try
        {
            if (FileKinds.NotAFileReason(track.Path) is { } notAFile)
                return Done(null, null, TrackStatus.Error, new FileError(ErrorCode.NotAFile, notAFile), false);
            stamp = FileStamp.Of(track.Path);
            if (stamp is null)
                return Done(null, null, TrackStatus.Error, MissingFileError(track.Path), false);

            if (cache.TryGetValue(track.Path, out var cached) && cached.Stamp == stamp && !(retryFailed && cached.Outcome.Error is not null))
            {
                Interlocked.Increment(ref _cacheHits);
                return Done(stamp, cached.Outcome, StatusOf(cached.Outcome), cached.Outcome.Error, true);
            }
            var outcome = prober.Probe(track.Path);
            return Done(stamp, outcome, StatusOf(outcome), outcome.Error, false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Done(stamp, null, TrackStatus.Error, new FileError(ErrorCodes.FromException(e), e.Message), false);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or ToolNotFoundException))
        {
            // A bug in a header reader is this file's INTERNAL_ERROR row, as in analysis; it must not fault the block and end the run.
            return Done(stamp, null, TrackStatus.Error, UnexpectedErrors.From(e), false);
        }
    }

    /// <summary>A folder scan's record takes its metadata from the file's tags and its id from the file's content.</summary>
    private static TrackRecord FromFile(TrackRecord track, ProbeOutcome? outcome)
    {
        if (!track.TagsFromFile) return track;
        var tagged = outcome?.Properties?.Tags is { } tags ? track.WithTags(tags) : track;
        return outcome?.ContentId is { } id ? tagged with { TrackId = id } : tagged;
    }

    /// <summary>
    /// A path the folder walk decoded with U+FFFD for bytes that are not UTF-8 names a file that exists but cannot be
    /// opened by that name; any other missing path is missing.
    /// </summary>
    private static FileError MissingFileError(string path) =>
        NameNotUtf8.Applies(path)
            ? new FileError(ErrorCode.NameNotUtf8, NameNotUtf8.Advice("file"))
            : new FileError(ErrorCode.FileMissing, "file not found (or a broken symlink)");

    private static TrackStatus StatusOf(ProbeOutcome outcome) => outcome.Error is null ? TrackStatus.Ok : TrackStatus.Error;
}
