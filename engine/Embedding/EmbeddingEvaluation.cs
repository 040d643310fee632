using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>Precision at 5 of nearest-neighbour retrieval (cosine) for one encoder version and one label kind.</summary>
public sealed record RetrievalScore(string ModelVersion, string Label, double PrecisionAt5, double ChanceLevel, int Queries);

/// <summary>
/// How well an encoder's neighbours share tags: for each canonical track with the label (album; composer, else artist),
/// the share of its 5 nearest other labelled tracks with the same label, averaged over all (query, neighbour) pairs.
/// Chance level: the same share over every pair of labelled tracks. Computed over the run's Parquet outputs.
/// </summary>
public static class EmbeddingEvaluation
{
    private const int Neighbours = 5;

    public static IReadOnlyList<RetrievalScore> PrecisionAt5(string outputFolder)
    {
        var tracks = ParquetRows.Read<TrackLabels>(Path.Combine(outputFolder, TracksTable.FileName))
            .Where(t => t.IsCanonical == true)
            .ToDictionary(t => t.TrackId!.Value);
        var versions = ParquetRows.Read<EmbeddingRow>(Path.Combine(outputFolder, EmbeddingsTable.FileName))
            .Where(e => tracks.ContainsKey(e.TrackId!.Value))
            .GroupBy(e => e.ModelVersion!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var labels = new (string Name, Func<TrackLabels, string?> Of)[] { ("album", t => t.Album), ("composer/artist", t => t.Composer ?? t.Artist) };
        var scores = new List<RetrievalScore>();
        foreach (var (name, of) in labels)
            foreach (var version in versions)
            {
                var labelled = version.Select(e => (e.TrackId!.Value, Label: of(tracks[e.TrackId.Value]), Vector: e.Vector!))
                    .Where(e => e.Label is not null).OrderBy(e => e.Value).ToList();
                if (Score(version.Key, name, labelled.Select(e => (e.Label!, e.Vector)).ToList()) is { } score) scores.Add(score);
            }
        return scores;
    }

    /// <summary>Why <see cref="PrecisionAt5"/> has nothing to score, in one line that says what to do.</summary>
    public static string WhyNoScores(string outputFolder)
    {
        var embedded = ParquetRows.Read<EmbeddingRow>(Path.Combine(outputFolder, EmbeddingsTable.FileName)).Select(e => e.TrackId).ToHashSet();
        var tracks = ParquetRows.Read<TrackLabels>(Path.Combine(outputFolder, TracksTable.FileName))
            .Where(t => t.IsCanonical == true && embedded.Contains(t.TrackId)).ToList();
        var labelled = tracks.Count(t => (t.Album ?? t.Composer ?? t.Artist) is not null);
        return embedded.Count == 0
            ? $"no scores: {EmbeddingsTable.FileName} in {outputFolder} holds no vectors (no file was analysed, or the job left out 'embed')."
            : labelled < 2
                ? $"no scores: {labelled} of the {tracks.Count} canonical tracks with embeddings carry an album, composer or artist tag, and " +
                  "retrieval is scored against those tags (two tracks at least). Tag the files (a folder catalog reads their tags) or use a Clementine catalog."
                : $"no scores: no two of the {labelled} tagged tracks with embeddings share an album, a composer or an artist, so no neighbour can share one.";
    }

    /// <summary>The score of one version and label kind; null when no track has a labelled neighbour.</summary>
    private static RetrievalScore? Score(string version, string label, IReadOnlyList<(string Label, float[] Vector)> tracks)
    {
        var norms = tracks.Select(t => Math.Sqrt(Dot(t.Vector, t.Vector))).ToArray();
        long sameInTop = 0, top = 0, samePairs = 0, pairs = 0;
        var queries = 0;
        for (var q = 0; q < tracks.Count; q++)
        {
            var nearest = Enumerable.Range(0, tracks.Count).Where(b => b != q)
                .Select(b => (Index: b, Cosine: Dot(tracks[q].Vector, tracks[b].Vector) / (norms[q] * norms[b])))
                .OrderByDescending(n => n.Cosine).ThenBy(n => n.Index)
                .ToList();
            if (nearest.Count == 0) continue;
            queries++;
            foreach (var n in nearest.Take(Neighbours))
            {
                top++;
                if (tracks[n.Index].Label == tracks[q].Label) sameInTop++;
            }
            pairs += nearest.Count;
            samePairs += nearest.Count(n => tracks[n.Index].Label == tracks[q].Label);
        }
        return queries == 0 ? null : new RetrievalScore(version, label, (double)sameInTop / top, (double)samePairs / pairs, queries);
    }

    private static double Dot(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    private sealed class TrackLabels
    {
        [JsonPropertyName("track_id")] public long? TrackId { get; set; }
        [JsonPropertyName("album")] public string? Album { get; set; }
        [JsonPropertyName("composer")] public string? Composer { get; set; }
        [JsonPropertyName("artist")] public string? Artist { get; set; }
        [JsonPropertyName("is_canonical")] public bool? IsCanonical { get; set; }
    }

    private sealed class EmbeddingRow
    {
        [JsonPropertyName("track_id")] public long? TrackId { get; set; }
        [JsonPropertyName("model_version")] public string? ModelVersion { get; set; }
        [JsonPropertyName("vector")] public float[]? Vector { get; set; }
    }
}
