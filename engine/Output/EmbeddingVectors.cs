using System.Buffers;
using Parquet;
using Parquet.Schema;

namespace SSIS.Batch.Engine.Output;

/// <summary>One embedding row as its readers need it: whose vector, of which encoder version.</summary>
public sealed record StoredVector(long TrackId, string ModelVersion, float[] Vector);

/// <summary>
/// Reads the vectors of chosen rows of embeddings.parquet column by column, a row group at a time: the ids and versions
/// first, then the vector column only of row groups holding a wanted row, as one flat buffer sliced by its levels.
/// Parquet.Net's object deserialiser allocated about 1.7 GB to read a 20,000-track file's 192-float vectors (the rating
/// step and the report's map each read it), where this reads them with about 0.1 GB.
/// </summary>
public static class EmbeddingVectors
{
    /// <summary>Every row's track id and version, in file order, without reading a vector.</summary>
    public static List<(long TrackId, string ModelVersion)> Keys(string path)
    {
        var keys = new List<(long, string)>();
        foreach (var _ in Read(path, (id, version) =>
                 {
                     keys.Add((id, version));
                     return false;
                 })) { }
        return keys;
    }

    /// <summary>The rows <paramref name="wanted"/> keeps (by track id and version), in file order; rows without an id or version are skipped.</summary>
    public static IEnumerable<StoredVector> Read(string path, Func<long, string, bool> wanted)
    {
        using var stream = File.OpenRead(path);
        var reader = ParquetReader.CreateAsync(stream, ParquetPools.Bounded(new ParquetOptions())).GetAwaiter().GetResult();
        try
        {
            var idField = Field(reader.Schema, "track_id");
            var versionField = Field(reader.Schema, "model_version");
            var vectorField = reader.Schema.Fields.OfType<ListField>().Single(f => f.Name == "vector").Item as DataField
                              ?? throw new InvalidDataException($"{path}: the vector column is not a list of values");
            for (var g = 0; g < reader.RowGroupCount; g++)
                foreach (var row in RowGroup(reader, g, idField, versionField, vectorField, wanted))
                    yield return row;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static DataField Field(ParquetSchema schema, string name) =>
        schema.Fields.OfType<DataField>().SingleOrDefault(f => f.Name == name) ?? throw new InvalidDataException($"embeddings table without a {name} column");

    private static List<StoredVector> RowGroup(ParquetReader reader, int index, DataField idField, DataField versionField, DataField vectorField,
        Func<long, string, bool> wanted)
    {
        using var rowGroup = reader.OpenRowGroupReader(index);
        var rows = checked((int)rowGroup.RowCount);
        var ids = new long?[rows];
        var versions = new string?[rows];
        rowGroup.ReadAsync<long>(idField, ids.AsMemory(), null).GetAwaiter().GetResult();
        rowGroup.ReadAsync(versionField, versions.AsMemory(), null).GetAwaiter().GetResult();
        var keep = new bool[rows];
        var any = false;
        for (var r = 0; r < rows; r++)
            any |= keep[r] = ids[r] is { } id && versions[r] is { } version && wanted(id, version);
        if (!any) return [];

        var levels = checked((int)rowGroup.GetMetadata(vectorField)!.MetaData!.NumValues);
        // Pooled: fresh buffers of a row group's 262,144 values are large objects, which only a full collection frees.
        var values = ArrayPool<float>.Shared.Rent(levels);
        var definitions = ArrayPool<int>.Shared.Rent(levels);
        var repetitions = ArrayPool<int>.Shared.Rent(levels);
        try
        {
            rowGroup.ReadRawAsync<float>(vectorField, values.AsMemory(0, levels), definitions.AsMemory(0, levels), repetitions.AsMemory(0, levels))
                .GetAwaiter().GetResult();
            var result = new List<StoredVector>();
            // A row starts at repetition level 0; only entries at the leaf's full definition level carry a value.
            var full = vectorField.MaxDefinitionLevel;
            for (int level = 0, value = 0, row = -1; level < levels;)
            {
                if (repetitions[level] == 0) row++;
                var start = value;
                var end = level;
                do
                {
                    if (definitions[end] == full) value++;
                    end++;
                } while (end < levels && repetitions[end] != 0);
                if (keep[row]) result.Add(new StoredVector(ids[row]!.Value, versions[row]!, values.AsSpan(start, value - start).ToArray()));
                level = end;
            }
            return result;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(values);
            ArrayPool<int>.Shared.Return(definitions);
            ArrayPool<int>.Shared.Return(repetitions);
        }
    }
}
