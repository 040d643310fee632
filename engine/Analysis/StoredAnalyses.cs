using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Analysis;

/// <summary>
/// The feature statistics the barriers leave in the state store (<see cref="TrackAnalysis.WithoutFeatures"/>), read
/// back a batch at a time for the steps that need them, so at most one batch of them is in memory.
/// </summary>
/// <param name="cacheKey">the analysis step's cache key (stage version and parameters) the analyses were stored under</param>
public sealed class StoredAnalyses(StateStore store, string cacheKey)
{
    /// <summary>Tracks per read: about 3.5 MB of statistics.</summary>
    public const int BatchTracks = 4096;

    /// <summary>The tracks in the same order, each compact analysis replaced by the whole stored one.</summary>
    public IEnumerable<AnalyzedTrack> WithFeatures(IEnumerable<AnalyzedTrack> tracks)
    {
        foreach (var batch in tracks.Chunk(BatchTracks))
        {
            var whole = store.LoadAnalyses(cacheKey, batch.Where(NeedsFeatures).Select(t => t.Track.Track.Path).ToList());
            foreach (var track in batch)
                yield return NeedsFeatures(track)
                    ? track with
                    {
                        Analysis = whole.GetValueOrDefault(track.Track.Track.Path) ?? throw new InvalidOperationException(
                            $"The state store has no analysis of {track.Track.Track.Path} under {cacheKey}, though this run analysed it."),
                    }
                    : track;
        }
    }

    private static bool NeedsFeatures(AnalyzedTrack track) => track.Analysis is { HasFeatures: false };
}
