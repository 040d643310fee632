using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Native.DuckDb;

namespace SSIS.Batch.Engine.Output;

/// <summary>embeddings.parquet: one row per analysed track and encoder version; embedding_stats.parquet: the standardisation.</summary>
public static class EmbeddingsTable
{
    public const string FileName = "embeddings.parquet";
    public const string StatsFileName = "embedding_stats.parquet";

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("track_id", ColumnType.BigInt, "the track's track_id in tracks.parquet"),
        new("path", ColumnType.Varchar, "the file"),
        new("model_version", ColumnType.Varchar, "the encoder and its version (dsp-v1, contrastive-<hash>, onnx-<name>-<hash>, contrastive-joint-<hash>)"),
        new("dim", ColumnType.Integer, "vector length"),
        new("vector", ColumnType.FloatList, "the embedding (dsp: z-scores over the library, see embedding_stats.parquet)"),
    ];

    public static readonly IReadOnlyList<Column> StatsColumns =
    [
        new("model_version", ColumnType.Varchar, "the encoder version the statistics standardise"),
        new("mean", ColumnType.FloatList, "per-dimension mean of the encoder's raw vectors over the library"),
        new("std", ColumnType.FloatList, "per-dimension standard deviation (a dimension with 0 becomes 0 in the vectors)"),
    ];

    public static void Write(string outputFolder, IEnumerable<TrackEmbedding> embeddings, IEnumerable<EncoderRun> runs)
    {
        ParquetTableWriter.Write(Path.Combine(outputFolder, FileName), Columns,
            embeddings.Select(e => new object?[] { e.TrackId, e.Path, e.ModelVersion, e.Vector.Length, e.Vector }));
        ParquetTableWriter.Write(Path.Combine(outputFolder, StatsFileName), StatsColumns,
            runs.Where(r => r.Standardisation is not null).Select(r => new object?[] { r.ModelVersion, r.Standardisation!.Mean, r.Standardisation.Std }));
    }
}
