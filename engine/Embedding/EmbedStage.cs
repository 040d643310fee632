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
/// version), so a rerun, or a second encoder added later, computes only what is missing; the vectors stay there (the
/// sinks read them back with <see cref="StoredEmbeddings"/>), and so do the analyses' feature statistics, read a batch at a
/// time for the encoders that need them.
/// </summary>
/// <param name="monoCrop">the track's mono centre crop at a rate (Hz), for encoders that read the waveform</param>
public sealed class EmbedStage(StateStore store, StoredAnalyses analyses, int workers, IRunProgress progress, Func<ProbedTrack, int, float[]> monoCrop)
{
    public const string Name = "embed";
    private const int Batch = 16;

    public EncoderRun Encode(IAudioEncoder encoder, IReadOnlyList<AnalyzedTrack> analysed, CancellationToken cancellationToken = default)
    {
        var tracks = StoredEmbeddings.Embeddable(analysed);
        var stamps = store.LoadEmbeddingStamps(encoder.Version);
        var missing = tracks.Where(t => !(stamps.TryGetValue(t.Track.Track.Path, out var kept) && kept == t.Track.Stamp)).ToList();
        var stage = $"{Name} {encoder.Version}";
        progress.StageStarted(stage, tracks.Count);
        progress.FromCache(stage, tracks.Count - missing.Count);
        progress.Advanced(stage, tracks.Count - missing.Count);
        var clock = Stopwatch.StartNew();
        var storeTurn = new object();
        Parallel.ForEach(missing.Chunk(Batch), new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, chunk =>
        {
            List<EncoderInput> inputs;
            // The store has one connection: its reads and writes take turns, the encoding runs in parallel.
            lock (storeTurn)
                inputs = (encoder.Reads == EncoderReads.Features ? analyses.WithFeatures(chunk) : chunk).Select(Input).ToList();
            var encoded = encoder.Encode(inputs);
            if (encoded.Count != chunk.Length || encoded.Any(v => v.Length != encoder.Dimension))
                throw new InvalidOperationException($"Encoder {encoder.Version} did not return one vector of {encoder.Dimension} values per track.");
            var fresh = chunk.Zip(encoded, (t, v) => (t.Track.Track.Path, t.Track.Stamp!.Value, v)).ToList();
            lock (storeTurn) store.SaveEmbeddings(encoder.Version, fresh);
            progress.Advanced(stage, chunk.Length);
        });
        var seconds = clock.Elapsed.TotalSeconds;
        progress.StageFinished(stage);
        var stored = new StoredEmbeddings(store);
        var standardisation = encoder.Standardised ? Standardisation.Fit(() => stored.Raw(encoder.Version, tracks)) : null;
        return new EncoderRun(encoder.Version, encoder.Dimension, missing.Count, tracks.Count - missing.Count, standardisation, seconds);

        EncoderInput Input(AnalyzedTrack t) => new(t.Track.Track.TrackId, t.Track.Track.Path, t.Analysis!,
            encoder.Reads == EncoderReads.LogMel ? store.LoadLogMel(t.Track.Track.Path, t.Track.Stamp!.Value)?.ToPooledDb() : null,
            encoder.Reads == EncoderReads.Waveform ? rate => monoCrop(t.Track, rate) : null);
    }
}
