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
}
