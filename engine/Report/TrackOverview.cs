using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Report;

/// <summary>
/// What the report shows of tracks.parquet, counted in one pass over its row groups: the tracks probed (ok, or skipped
/// by a limit such as their length) with their codecs and durations, the seconds of the ok ones, the bytes on disk, the first failed track of each error code, and the canonical tracks' ids.
/// No track's row is kept, so drawing the report of 20,000 tracks holds a few numbers per track, not their rows.
/// </summary>
internal sealed class TrackOverview
{
    public int Probed { get; private set; }
    public double OkSeconds { get; private set; }
    public long SizeBytes { get; private set; }
    public Dictionary<string, int> ProbedCodecs { get; } = new(StringComparer.Ordinal);
    /// <summary>The known durations of the tracks probed, in seconds.</summary>
    public List<double> ProbedDurationsSeconds { get; } = [];
    public Dictionary<string, ReportTables.Track> FirstFailureByCode { get; } = new(StringComparer.Ordinal);
    public HashSet<long> CanonicalIds { get; } = [];

    public static TrackOverview Read(string outputFolder)
    {
        var overview = new TrackOverview();
        foreach (var track in ReportTables.Read<ReportTables.Track>(outputFolder, TracksTable.FileName))
            overview.Add(track);
        return overview;
    }

    private void Add(ReportTables.Track track)
    {
        SizeBytes += track.SizeBytes ?? 0;
        if (track.ErrorCode is { } code) FirstFailureByCode.TryAdd(code, track);
        if (track is { IsCanonical: true, TrackId: { } id }) CanonicalIds.Add(id);
        if (track.Status == "ok") OkSeconds += track.DurationSeconds ?? 0;
        if (track.Status is not ("ok" or "skipped")) return;
        Probed++;
        var codec = track.Codec ?? "unknown";
        ProbedCodecs[codec] = ProbedCodecs.GetValueOrDefault(codec) + 1;
        if (track.DurationSeconds is { } seconds) ProbedDurationsSeconds.Add(seconds);
    }
}
