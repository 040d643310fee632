using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>
/// The vectors an encoder run left in the state store, read back a batch at a time (standardisation statistics and
/// the embeddings table), so no step holds the library's vectors.
/// </summary>
public sealed class StoredEmbeddings(StateStore store)
{
    /// <summary>Tracks per read: 3 MB of 192-float vectors.</summary>
    public const int BatchTracks = 4096;

    /// <summary>The analysed tracks that get a vector, in catalog order.</summary>
    public static List<AnalyzedTrack> Embeddable(IEnumerable<AnalyzedTrack> analysed) =>
        analysed.Where(a => a is { Analysis: not null, Track.Stamp: not null }).ToList();

    /// <summary>The encoder's own vectors (before standardisation) of <paramref name="tracks"/>, in their order.</summary>
    public IEnumerable<float[]> Raw(string modelVersion, IReadOnlyList<AnalyzedTrack> tracks)
    {
        foreach (var batch in tracks.Chunk(BatchTracks))
        {
            var vectors = store.LoadEmbeddings(modelVersion, batch.Select(t => t.Track.Track.Path).ToList());
            foreach (var track in batch)
                yield return vectors.GetValueOrDefault(track.Track.Track.Path) ?? throw new InvalidOperationException(
                    $"The state store has no {modelVersion} vector of {track.Track.Track.Path}, though this run embedded it.");
        }
    }

    /// <summary>Each embeddable track's vector of one encoder run, standardised when the run was.</summary>
    public IEnumerable<TrackEmbedding> Read(EncoderRun run, IReadOnlyList<AnalyzedTrack> analysed)
    {
        var tracks = Embeddable(analysed);
        return tracks.Zip(Raw(run.ModelVersion, tracks), (t, vector) =>
            new TrackEmbedding(t.Track.Track.TrackId, t.Track.Track.Path, run.ModelVersion, run.Standardisation?.Apply(vector) ?? vector));
    }
}
