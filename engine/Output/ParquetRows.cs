using Parquet;
using Parquet.Serialization;

namespace SSIS.Batch.Engine.Output;

/// <summary>
/// Reads the rows of a Parquet file into <typeparamref name="T"/> (properties named after the columns they take with
/// [JsonPropertyName]; other columns are not read), one row group at a time.
/// </summary>
public static class ParquetRows
{
    public static IEnumerable<T> Read<T>(string path) where T : class, new()
    {
        using var stream = File.OpenRead(path);
        var rowGroups = RowGroupCountAsync(stream).GetAwaiter().GetResult();
        for (var g = 0; g < rowGroups; g++)
        {
            stream.Position = 0;
            foreach (var row in ParquetSerializer.DeserializeAsync<T>(stream, ParquetPools.Bounded(new ParquetOptions()), g).GetAwaiter().GetResult().Data)
                yield return row;
        }
    }

    private static async Task<int> RowGroupCountAsync(Stream stream)
    {
        await using var reader = await ParquetReader.CreateAsync(stream, ParquetPools.Bounded(new ParquetOptions()), leaveStreamOpen: true);
        return reader.RowGroupCount;
    }
}
