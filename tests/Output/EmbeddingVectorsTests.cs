using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Output;

/// <summary>The column reader of embeddings.parquet against the table as written and as Parquet.Net's own deserialiser reads it.</summary>
public class EmbeddingVectorsTests
{
    private sealed class Row
    {
        [System.Text.Json.Serialization.JsonPropertyName("track_id")] public long? TrackId { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("model_version")] public string? ModelVersion { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("vector")] public float[]? Vector { get; set; }
    }

    /// <summary>Two versions of different dimensions interleaved over several row groups (192-float rows end a batch at 1,365).</summary>
    private static List<TrackEmbedding> Embeddings() =>
        Enumerable.Range(0, 3_000).SelectMany(i => new[]
        {
            new TrackEmbedding(1_000 + i, $"/music/{i}.ogg", "dsp-v1", Enumerable.Range(0, 192).Select(k => i + k / 256f).ToArray()),
            new TrackEmbedding(1_000 + i, $"/music/{i}.ogg", "spectral-v1", Enumerable.Range(0, 32).Select(k => -i - k / 64f).ToArray()),
        }).ToList();

    [Fact]
    public void Reads_the_wanted_rows_of_every_row_group_equal_to_the_written_vectors()
    {
        using var folder = new TempFolder();
        var written = Embeddings();
        EmbeddingsTable.Write(folder.Path, written, [new EncoderRun("dsp-v1", 192, 3_000, 0, null, 0), new EncoderRun("spectral-v1", 32, 3_000, 0, null, 0)],
            OutputFormats.Parquet);
        var path = folder.File(EmbeddingsTable.FileName);
        Assert.True(ParquetCheck.Read(path).RowGroups >= 3);

        var keys = EmbeddingVectors.Keys(path);
        Assert.Equal(written.Select(e => (e.TrackId, e.ModelVersion)), keys);

        // Every seventh track's dsp vector, and every spectral one: rows picked in every row group, of both widths.
        bool Wanted(long id, string version) => version == "spectral-v1" || id % 7 == 0;
        var read = EmbeddingVectors.Read(path, Wanted).ToList();
        var expected = written.Where(e => Wanted(e.TrackId, e.ModelVersion)).ToList();
        Assert.Equal(expected.Count, read.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].TrackId, expected[i].ModelVersion), (read[i].TrackId, read[i].ModelVersion));
            Assert.Equal(expected[i].Vector, read[i].Vector);
        }

        var deserialised = ParquetRows.Read<Row>(path).Where(r => Wanted(r.TrackId!.Value, r.ModelVersion!)).ToList();
        Assert.Equal(deserialised.Select(r => r.Vector!), read.Select(r => r.Vector));
    }

    [Fact]
    public void A_file_of_no_wanted_row_reads_no_vector()
    {
        using var folder = new TempFolder();
        EmbeddingsTable.Write(folder.Path, Embeddings().Take(10), [new EncoderRun("dsp-v1", 192, 5, 0, null, 0)], OutputFormats.Parquet);
        Assert.Empty(EmbeddingVectors.Read(folder.File(EmbeddingsTable.FileName), (_, version) => version == "contrastive-x"));
    }
}
