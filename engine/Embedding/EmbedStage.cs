using System.Diagnostics;
using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>One track's vector under one encoder version (standardised when the encoder asks for it).</summary>
public sealed record TrackEmbedding(long TrackId, string Path, string ModelVersion, float[] Vector);

/// <summary>What one encoder did in a run; <paramref name="Seconds"/> is the time spent computing vectors.</summary>
public sealed record EncoderRun(string ModelVersion, int Dimension, int Computed, int FromStore, Standardisation? Standardisation, double Seconds)
{
    /// <summary>Computed tracks per second (null when nothing was computed).</summary>
    public double? TracksPerSecond => Computed > 0 && Seconds > 0 ? Computed / Seconds : null;
}

/// <summary>
/// Analysed tracks → one vector per track and encoder. Vectors are kept in the state store by (path, size, mtime, model
/// version), so a rerun, or a second encoder added later, computes only what is missing.
/// </summary>
/// <param name="monoCrop">the track's mono centre crop at a rate (Hz), for encoders that read the waveform</param>
public sealed class EmbedStage(StateStore store, int workers, IRunProgress progress, Func<ProbedTrack, int, float[]> monoCrop)
{
    public const string Name = "embed";
    private const int Batch = 16;

    public (IReadOnlyList<TrackEmbedding> Embeddings, EncoderRun Run) Encode(IAudioEncoder encoder, IReadOnlyList<AnalyzedTrack> analysed,
        CancellationToken cancellationToken = default)
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
        var stage = $"{Name} {encoder.Version}";
        progress.StageStarted(stage, tracks.Count);
        progress.FromCache(stage, tracks.Count - missing.Count);
        progress.Advanced(stage, tracks.Count - missing.Count);
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(missing.Chunk(Batch), new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, chunk =>
        {
            List<EncoderInput> inputs;
            // The store has one connection: its reads and writes take turns, the encoding runs in parallel.
            lock (vectors) inputs = chunk.Select(Input).ToList();
            var encoded = encoder.Encode(inputs);
            if (encoded.Count != chunk.Length || encoded.Any(v => v.Length != encoder.Dimension))
                throw new InvalidOperationException($"Encoder {encoder.Version} did not return one vector of {encoder.Dimension} values per track.");
            var fresh = chunk.Zip(encoded, (t, v) => (t.Track.Track.Path, t.Track.Stamp!.Value, v)).ToList();
            lock (vectors)
            {
                store.SaveEmbeddings(encoder.Version, fresh);
                foreach (var (path, _, vector) in fresh) vectors[path] = vector;
            }
            progress.Advanced(stage, chunk.Length);
        });
        var seconds = clock.Elapsed.TotalSeconds;
        progress.StageFinished(stage);
        var standardisation = encoder.Standardised ? Standardisation.Fit(vectors.Values.ToList()) : null;
        var embeddings = tracks.Select(t => new TrackEmbedding(t.Track.Track.TrackId, t.Track.Track.Path, encoder.Version,
            standardisation?.Apply(vectors[t.Track.Track.Path]) ?? vectors[t.Track.Track.Path])).ToList();
        return (embeddings, new EncoderRun(encoder.Version, encoder.Dimension, missing.Count, tracks.Count - missing.Count, standardisation, seconds));

        EncoderInput Input(AnalyzedTrack t) => new(t.Track.Track.TrackId, t.Track.Track.Path, t.Analysis!,
            encoder.Reads == EncoderReads.LogMel ? store.LoadLogMel(t.Track.Track.Path, t.Track.Stamp!.Value)?.ToPooledDb() : null,
            encoder.Reads == EncoderReads.Waveform ? rate => monoCrop(t.Track, rate) : null);
    }
}
