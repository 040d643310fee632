using System.Globalization;
using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Rating;

/// <summary>A canonical, non-speech track with an embedding: what the rating model learns from or predicts.</summary>
public sealed record CandidateTrack(long TrackId, string Path, string? Title, string? Artist, string? Album, double? DurationSeconds, double? Rating, float[] Vector);

/// <summary>Reads a run's candidates: tracks.parquet joined with embeddings.parquet on track_id.</summary>
public static class RatingDataset
{
    /// <summary>Joins the encoders of a combined model input (<c>dsp+contrastive</c>) and their versions.</summary>
    public const char Combined = '+';

    /// <summary>The encoders a model input names: one, or several joined by <see cref="Combined"/>.</summary>
    public static IReadOnlyList<string> Parts(string encoderOrVersion) => encoderOrVersion.Split(Combined);

    /// <summary>
    /// The run's embedding version of <paramref name="encoder"/> (dsp, contrastive, or an ONNX encoder's name; or several
    /// joined by <see cref="Combined"/>, giving their versions joined the same way); null when a part has no vectors.
    /// </summary>
    public static string? EmbeddingVersion(string outputFolder, string encoder)
    {
        var versions = EmbeddingVectors.Keys(Path.Combine(outputFolder, EmbeddingsTable.FileName))
            .Select(r => r.ModelVersion).Distinct().Order(StringComparer.Ordinal).ToList();
        var parts = Parts(encoder).Select(part => VersionOf(versions, part)).ToList();
        return parts.Any(p => p is null) ? null : string.Join(Combined, parts);
    }

    private static string? VersionOf(IReadOnlyList<string> versions, string encoder)
    {
        var prefix = encoder is Embedding.Encoders.DspName or Embedding.Encoders.ContrastiveName or Embedding.Encoders.SpectralName ? $"{encoder}-" : $"onnx-{encoder}-";
        // "contrastive-" also begins the fine-tuned "contrastive-joint-" versions, which are not the contrastive encoder's.
        return versions.LastOrDefault(v => v.StartsWith(prefix, StringComparison.Ordinal)
                                           && !(encoder == Embedding.Encoders.ContrastiveName && v.StartsWith($"{Embedding.Encoders.JointName}-", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Tracks with status ok, canonical, not speech, and a vector of <paramref name="embeddingVersion"/> (of every part of a
    /// combined version, concatenated in its order), by track_id.
    /// </summary>
    public static IReadOnlyList<CandidateTrack> Load(string outputFolder, string embeddingVersion) => LoadWithParts(outputFolder, embeddingVersion).Candidates;

    /// <summary>How many tracks of tracks.parquet are rated, ok, canonical and not speech: an upper bound of the training set, known without a vector.</summary>
    public static int RatedCandidates(string outputFolder) =>
        ParquetRows.Read<TrackRow>(Path.Combine(outputFolder, TracksTable.FileName)).Count(t => t is { Status: "ok", IsCanonical: true, IsSpeech: false, EffectiveRating: not null });

    /// <summary><see cref="Load"/>, and the length of each part's vector in the concatenation (empty when no track has them all).</summary>
    public static (IReadOnlyList<CandidateTrack> Candidates, IReadOnlyList<int> PartLengths) LoadWithParts(string outputFolder, string embeddingVersion)
    {
        // The tracks first, so only candidates' vectors are kept: copies, speech and failed files have none to give.
        var tracks = ParquetRows.Read<TrackRow>(Path.Combine(outputFolder, TracksTable.FileName))
            .Where(t => t is { Status: "ok", IsCanonical: true, IsSpeech: false }).ToList();
        var wanted = tracks.Select(t => t.TrackId!.Value).ToHashSet();
        var parts = Parts(embeddingVersion);
        var byVersion = EmbeddingVectors.Read(Path.Combine(outputFolder, EmbeddingsTable.FileName), (id, version) => parts.Contains(version) && wanted.Contains(id))
            .ToLookup(e => e.ModelVersion);
        var partVectors = parts.Select(p => byVersion[p].ToDictionary(e => e.TrackId, e => e.Vector)).ToList();
        var vectors = partVectors[0].Keys.Where(id => partVectors.All(v => v.ContainsKey(id)))
            .ToDictionary(id => id, id => partVectors.Count == 1 ? partVectors[0][id] : partVectors.SelectMany(v => v[id]).ToArray());
        var complete = partVectors[0].Keys.FirstOrDefault(id => partVectors.All(v => v.ContainsKey(id)));
        var partLengths = vectors.Count == 0 ? [] : partVectors.Select(v => v[complete].Length).ToList();
        return (tracks
            .Where(t => vectors.ContainsKey(t.TrackId!.Value))
            .OrderBy(t => t.TrackId)
            .Select(t => new CandidateTrack(t.TrackId!.Value, t.Path!, t.Title, t.Artist, t.Album, t.DurationSeconds, Decimal(t.EffectiveRating),
                vectors[t.TrackId.Value]))
            .ToList(), partLengths);
    }

    /// <summary>A float rating as the decimal it stands for (0.6f as 0.6, not 0.6000000238): catalog ratings are decimal steps.</summary>
    private static double? Decimal(float? rating) =>
        rating is { } r ? double.Parse(r.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : null;

    private sealed class TrackRow
    {
        [JsonPropertyName("track_id")] public long? TrackId { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("title")] public string? Title { get; set; }
        [JsonPropertyName("artist")] public string? Artist { get; set; }
        [JsonPropertyName("album")] public string? Album { get; set; }
        [JsonPropertyName("duration_s")] public double? DurationSeconds { get; set; }
        [JsonPropertyName("effective_rating")] public float? EffectiveRating { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("is_canonical")] public bool? IsCanonical { get; set; }
        [JsonPropertyName("is_speech")] public bool? IsSpeech { get; set; }
    }
}
