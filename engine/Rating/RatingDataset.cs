using System.Globalization;
using SSIS.Batch.Engine.Native.DuckDb;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Rating;

/// <summary>A canonical, non-speech track with an embedding: what the rating model learns from or predicts.</summary>
public sealed record CandidateTrack(long TrackId, string Path, string? Title, string? Artist, string? Album, double? DurationSeconds, double? Rating, float[] Vector);

/// <summary>Reads a run's candidates (tracks.parquet joined with embeddings.parquet) through DuckDB.</summary>
public static class RatingDataset
{
    /// <summary>The run's embedding version of <paramref name="encoder"/> (dsp, contrastive, or an ONNX encoder's name); null when no track has one.</summary>
    public static string? EmbeddingVersion(string outputFolder, string encoder)
    {
        var prefix = encoder is Embedding.Encoders.DspName or Embedding.Encoders.ContrastiveName ? $"{encoder}-" : $"onnx-{encoder}-";
        using var db = DuckDbConnection.Open();
        var versions = db.Query($"SELECT DISTINCT model_version FROM read_parquet({Parquet(outputFolder, EmbeddingsTable.FileName)}) ORDER BY 1")
            .Rows.Select(r => r[0]!).ToList();
        // "contrastive-" also begins the fine-tuned "contrastive-joint-" versions, which are not the contrastive encoder's.
        return versions.LastOrDefault(v => v.StartsWith(prefix, StringComparison.Ordinal)
                                           && !(encoder == Embedding.Encoders.ContrastiveName && v.StartsWith($"{Embedding.Encoders.JointName}-", StringComparison.Ordinal)));
    }

    /// <summary>Tracks with status ok, canonical, not speech, and a vector of <paramref name="embeddingVersion"/>.</summary>
    public static IReadOnlyList<CandidateTrack> Load(string outputFolder, string embeddingVersion)
    {
        using var db = DuckDbConnection.Open();
        var rows = db.Query($"""
            SELECT t.track_id, t.path, t.title, t.artist, t.album, t.duration_s, t.effective_rating, e.vector::VARCHAR
            FROM read_parquet({Parquet(outputFolder, TracksTable.FileName)}) t
            JOIN read_parquet({Parquet(outputFolder, EmbeddingsTable.FileName)}) e USING (track_id)
            WHERE t.status = 'ok' AND t.is_canonical AND t.is_speech = false AND e.model_version = {DuckDbSql.Literal(embeddingVersion)}
            ORDER BY t.track_id
            """).Rows;
        return rows.Select(r => new CandidateTrack(long.Parse(r[0]!, CultureInfo.InvariantCulture), r[1]!, r[2], r[3], r[4],
            r[5] is { } d ? double.Parse(d, CultureInfo.InvariantCulture) : null,
            r[6] is { } rating ? double.Parse(rating, CultureInfo.InvariantCulture) : null,
            ParseVector(r[7]!))).ToList();
    }

    private static float[] ParseVector(string text) =>
        text.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static string Parquet(string folder, string name) => DuckDbSql.Literal(System.IO.Path.Combine(folder, name));
}
