using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Probe;

public enum TrackStatus
{
    /// <summary>Probed (or taken from the cache) without error.</summary>
    Ok,
    /// <summary>Left the graph with a typed error.</summary>
    Error,
    /// <summary>Marked unavailable in the catalog: reported, not analysed.</summary>
    Unavailable,
}

/// <summary>A catalog entry after the probe stage.</summary>
public sealed record ProbedTrack(
    TrackRecord Track,
    FileStamp? Stamp,
    ProbeOutcome? Outcome,
    TrackStatus Status,
    FileError? Error,
    bool FromCache,
    DateTime StartedUtc,
    double ElapsedMs,
    int Attempts = 1) : IFileOutcome<ProbedTrack>, Pipeline.ICachedResult
{
    public AudioProperties? Properties => Outcome?.Properties;

    public ProbedTrack WithAttempts(int attempts) => this with { Attempts = attempts };

    /// <summary>
    /// What the barriers hold once the result is stored: the tags only in <see cref="Track"/> (the probe's copy of them
    /// has been read into it), and the values tracks share (artist, album, genre, codec) one instance each.
    /// </summary>
    public ProbedTrack Compact(Pipeline.SharedStrings shared) => this with
    {
        Track = Track with
        {
            Artist = shared.Of(Track.Artist), Album = shared.Of(Track.Album), AlbumArtist = shared.Of(Track.AlbumArtist),
            Composer = shared.Of(Track.Composer), Genre = shared.Of(Track.Genre),
        },
        Outcome = Outcome is { Properties: { } properties } outcome
            ? outcome with { Properties = properties with { Tags = null, Codec = shared.Of(properties.Codec)!, Container = shared.Of(properties.Container)! } }
            : Outcome,
    };
}
