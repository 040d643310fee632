using System.Text.Json;
using SSIS.Batch.Engine.Embedding;

namespace SSIS.Batch.Engine.Output;

/// <summary>
/// embeddings.parquet: one row per analysed track and encoder version; embedding_stats.parquet: the standardisation.
/// Encoder versions of different dimensions share the file, so a vector is a variable-length list; the dimension is in
/// each row (<c>dim</c>) and, per version, in the key-value metadata under <see cref="DimensionsKey"/>.
/// </summary>
public static class EmbeddingsTable
{
    public static string FileName => Schema.ParquetFileName;

    /// <summary>Metadata key of a JSON object: encoder version → vector dimension.</summary>
    public const string DimensionsKey = "ssis.dimensions";

    public static readonly TableSchema Schema = new("embeddings", "one row per analysed track and encoder version",
    [
        new("track_id", ColumnTypes.Int64, "the track's `track_id` in tracks.parquet"),
        new("path", ColumnTypes.String, "the file"),
        new("model_version", ColumnTypes.String, "the encoder and its version (`dsp-v1`, `contrastive-<hash>`, `onnx-<name>-<hash>`, and in joint mode `contrastive-joint-<hash>`)"),
        new("dim", ColumnTypes.Int32, "vector length (the same for every row of a model_version)"),
        new("vector", ColumnTypes.FloatList, "the embedding (dsp: z-scores over the library, see embedding_stats.parquet)"),
    ]);

    public static readonly TableSchema StatsSchema = new("embedding_stats", "the standardisation of each standardised encoder",
    [
        new("model_version", ColumnTypes.String, "the encoder version the statistics standardise"),
        new("mean", ColumnTypes.FloatList, "per-dimension mean of the encoder's raw vectors over the library"),
        new("std", ColumnTypes.FloatList, "per-dimension standard deviation (a dimension with 0 becomes 0 in the vectors)"),
    ]);

    public static IReadOnlyList<string> Write(string outputFolder, IEnumerable<TrackEmbedding> embeddings, IReadOnlyList<EncoderRun> runs,
        OutputFormats formats)
    {
        var dimensions = new Dictionary<string, string>
        {
            [DimensionsKey] = JsonSerializer.Serialize(runs.ToDictionary(r => r.ModelVersion, r => r.Dimension), TableSchema.ReadableJson),
        };
        return
        [
            .. TableWriter.Write(outputFolder, Schema, formats,
                embeddings.Select(e => new object?[] { e.TrackId, e.Path, e.ModelVersion, e.Vector.Length, e.Vector }), dimensions),
            .. TableWriter.Write(outputFolder, StatsSchema, formats,
                runs.Where(r => r.Standardisation is not null).Select(r => new object?[] { r.ModelVersion, r.Standardisation!.Mean, r.Standardisation.Std }),
                dimensions),
        ];
    }
}
