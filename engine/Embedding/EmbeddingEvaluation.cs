using System.Globalization;
using SSIS.Batch.Engine.Native.DuckDb;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>Precision at 5 of nearest-neighbour retrieval (cosine) for one encoder version and one label kind.</summary>
public sealed record RetrievalScore(string ModelVersion, string Label, double PrecisionAt5, double ChanceLevel, int Queries);

/// <summary>
/// How well an encoder's neighbours share tags: for each track with the label (album; composer, else artist), the share
/// of its 5 nearest other tracks with the same label, averaged. Chance level: the same share for 5 tracks drawn at random.
/// Computed by DuckDB over the run's Parquet outputs.
/// </summary>
public static class EmbeddingEvaluation
{
    public static IReadOnlyList<RetrievalScore> PrecisionAt5(string outputFolder)
    {
        string Parquet(string name) => DuckDbSql.Literal(Path.Combine(outputFolder, name));
        using var db = DuckDbConnection.Open();
        db.Execute($"""
            CREATE TABLE e AS
            SELECT e.track_id, e.model_version, e.vector, t.album, coalesce(t.composer, t.artist) AS creator
            FROM read_parquet({Parquet(EmbeddingsTable.FileName)}) e JOIN read_parquet({Parquet(TracksTable.FileName)}) t USING (track_id)
            WHERE t.is_canonical
            """);
        var scores = new List<RetrievalScore>();
        foreach (var label in new[] { "album", "creator" })
        {
            var rows = db.Query($"""
                WITH ranked AS (
                  SELECT a.model_version, a.track_id AS query, a.{label} = b.{label} AS same,
                         row_number() OVER (PARTITION BY a.model_version, a.track_id ORDER BY list_cosine_similarity(a.vector, b.vector) DESC) AS rank
                  FROM e a JOIN e b ON a.model_version = b.model_version AND a.track_id <> b.track_id
                  WHERE a.{label} IS NOT NULL AND b.{label} IS NOT NULL),
                chance AS (
                  SELECT a.model_version, avg((a.{label} = b.{label})::DOUBLE) AS level
                  FROM e a JOIN e b ON a.model_version = b.model_version AND a.track_id <> b.track_id
                  WHERE a.{label} IS NOT NULL AND b.{label} IS NOT NULL GROUP BY a.model_version)
                SELECT r.model_version, avg(r.same::DOUBLE), any_value(c.level), count(DISTINCT r.query)
                FROM ranked r JOIN chance c USING (model_version) WHERE r.rank <= 5 GROUP BY r.model_version ORDER BY r.model_version
                """);
            scores.AddRange(rows.Rows.Select(r => new RetrievalScore(r[0]!, label == "creator" ? "composer/artist" : label,
                double.Parse(r[1]!, CultureInfo.InvariantCulture), double.Parse(r[2]!, CultureInfo.InvariantCulture), int.Parse(r[3]!))));
        }
        return scores;
    }
}
