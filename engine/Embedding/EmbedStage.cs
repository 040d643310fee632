using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>One track's vector under one encoder version (standardised when the encoder asks for it).</summary>
public sealed record TrackEmbedding(long TrackId, string Path, string ModelVersion, float[] Vector);

/// <summary>What one encoder did in a run.</summary>
public sealed record EncoderRun(string ModelVersion, int Dimension, int Computed, int FromStore, Standardisation? Standardisation);

/// <summary>
/// Analysed tracks → one vector per track and encoder. Vectors are kept in the state store by (path, size, mtime, model
/// version), so a rerun, or a second encoder added later, computes only what is missing.
/// </summary>
public sealed class EmbedStage(StateStore store)
{
    public const string Name = "embed";
    private const int Batch = 64;

    public (IReadOnlyList<TrackEmbedding> Embeddings, EncoderRun Run) Encode(IAudioEncoder encoder, IReadOnlyList<AnalyzedTrack> analysed)
    {
        var tracks = analysed.Where(a => a is { Analysis: not null, Track.Stamp: not null }).ToList();
        var stored = store.LoadEmbeddings(encoder.Version);
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var missing = new List<AnalyzedTrack>();
        foreach (var track in tracks)
        {
            if (stored.TryGetValue(track.Track.Track.Path, out var kept) && kept.Stamp == track.Track.Stamp) vectors[track.Track.Track.Path] = kept.Vector;
            else missing.Add(track);
        }
        foreach (var chunk in missing.Chunk(Batch))
        {
            var encoded = encoder.Encode(chunk.Select(t => new EncoderInput(t.Track.Track.TrackId, t.Track.Track.Path, t.Analysis!)).ToList());
            if (encoded.Any(v => v.Length != encoder.Dimension))
                throw new InvalidOperationException($"Encoder {encoder.Version} returned a vector that is not {encoder.Dimension} long.");
            var fresh = chunk.Zip(encoded, (t, v) => (t.Track.Track.Path, t.Track.Stamp!.Value, v)).ToList();
            store.SaveEmbeddings(encoder.Version, fresh);
            foreach (var (path, _, vector) in fresh) vectors[path] = vector;
        }
        var standardisation = encoder is DspEncoder ? Standardisation.Fit(vectors.Values.ToList()) : null;
        var embeddings = tracks.Select(t => new TrackEmbedding(t.Track.Track.TrackId, t.Track.Track.Path, encoder.Version,
            standardisation?.Apply(vectors[t.Track.Track.Path]) ?? vectors[t.Track.Track.Path])).ToList();
        return (embeddings, new EncoderRun(encoder.Version, encoder.Dimension, missing.Count, tracks.Count - missing.Count, standardisation));
    }
}
