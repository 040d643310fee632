using System.Buffers;
using System.IO.Compression;
using Apache.Arrow;
using Apache.Arrow.Types;
using Parquet;
using Parquet.Schema;
using ParquetField = Parquet.Schema.Field;

namespace SSIS.Batch.Engine.Output;

/// <summary>A Parquet codec and level (Parquet.Net's Zstd at its default level, SmallestSize, runs at ~1k rows/s for 512-float rows).</summary>
public sealed record ParquetCompression(CompressionMethod Method, CompressionLevel Level)
{
    /// <summary>
    /// What the engine writes: Zstd at Fastest. Measured with <c>ssis bench write</c> (100k × 512 floats, README
    /// "Outputs"): as many rows per CPU second as Snappy and Zstd at Optimal, within the run-to-run spread of a shared
    /// machine, for files 8 % smaller than Snappy's.
    /// </summary>
    public static readonly ParquetCompression Default = new(CompressionMethod.Zstd, CompressionLevel.Fastest);

    public override string ToString() => $"{Method.ToString().ToLowerInvariant()}/{Level.ToString().ToLowerInvariant()}";
}

/// <summary>
/// Writes Arrow record batches to a Parquet file with Parquet.Net, one row group per batch, so memory holds one batch
/// however many rows the table has. Timestamps are INT64 microseconds with isAdjustedToUTC = true; lists, fixed-size
/// lists and matrices are Parquet LIST columns (a matrix a list of lists); the key-value metadata is the schema's.
/// </summary>
public sealed class ParquetSink : IAsyncDisposable
{
    private readonly ParquetWriter _writer;
    private readonly ParquetField[] _fields;

    private ParquetSink(ParquetWriter writer, ParquetField[] fields)
    {
        _writer = writer;
        _fields = fields;
    }

    public static async Task<ParquetSink> CreateAsync(Stream stream, Schema schema, ParquetCompression compression)
    {
        var fields = schema.FieldsList.Select(f => ToParquet(f.Name, f.DataType)).ToArray();
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream,
            ParquetPools.Bounded(new ParquetOptions { CompressionMethod = compression.Method, CompressionLevel = compression.Level }));
        writer.CustomMetadata = schema.Metadata.ToDictionary();
        return new ParquetSink(writer, fields);
    }

    public async Task WriteAsync(RecordBatch batch)
    {
        using var rowGroup = _writer.CreateRowGroup();
        for (var c = 0; c < _fields.Length; c++)
            await WriteColumnAsync(rowGroup, _fields[c], batch.Column(c));
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private static ParquetField ToParquet(string name, IArrowType type) => type switch
    {
        BooleanType => new DataField<bool>(name, nullable: true),
        Int32Type => new DataField<int>(name, nullable: true),
        Int64Type => new DataField<long>(name, nullable: true),
        UInt32Type => new DataField<uint>(name, nullable: true),
        FloatType => new DataField<float>(name, nullable: true),
        DoubleType => new DataField<double>(name, nullable: true),
        StringType => new DataField<string>(name, nullable: true),
        TimestampType { Unit: TimeUnit.Microsecond, Timezone: "UTC" } =>
            new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        FixedSizeListType f => new ListField(name, Element(f.ValueDataType)),
        ListType l => new ListField(name, Element(l.ValueDataType)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Name, $"column '{name}': not a type the engine's tables use"),
    };

    /// <summary>A list's element: a required value, or (for a matrix) a list of required values.</summary>
    private static ParquetField Element(IArrowType type) => type switch
    {
        FloatType => new DataField<float>(ListField.ElementName, nullable: false),
        UInt32Type => new DataField<uint>(ListField.ElementName, nullable: false),
        FixedSizeListType f => new ListField(ListField.ElementName, Element(f.ValueDataType)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Name, "not a list element the engine's tables use"),
    };

    private static async Task WriteColumnAsync(ParquetRowGroupWriter rowGroup, ParquetField field, IArrowArray array)
    {
        switch (array)
        {
            case BooleanArray a:
                await WritePrimitiveAsync(rowGroup, field, a, i => a.GetValue(i)!.Value);
                break;
            case Int32Array a:
                await WritePrimitiveAsync(rowGroup, field, a, i => a.Values[i]);
                break;
            case TimestampArray a:
                await WritePrimitiveAsync(rowGroup, field, a, i => DateTime.UnixEpoch.AddTicks(a.Values[i] * TimeSpan.TicksPerMicrosecond));
                break;
            case Int64Array a:
                await WritePrimitiveAsync(rowGroup, field, a, i => a.Values[i]);
                break;
            case UInt32Array a:
                await WritePrimitiveAsync(rowGroup, field, a, i => a.Values[i]);
                break;
            case FloatArray a:
                await WritePrimitiveAsync(rowGroup, field, a, i => a.Values[i]);
                break;
            case DoubleArray a:
                await WritePrimitiveAsync(rowGroup, field, a, i => a.Values[i]);
                break;
            case StringArray a:
                await rowGroup.WriteAsync((DataField)field, Enumerable.Range(0, a.Length).Select(i => a.GetString(i)).ToArray(), null);
                break;
            case FixedSizeListArray { Values: FloatArray values } a:
                var size = ((FixedSizeListType)a.Data.DataType).ListSize;
                await WriteLeafAsync(rowGroup, Leaf(field), values, a.Length, a.IsNull, i => (i * size, size), vectorSize: 0);
                break;
            case ListArray { Values: FixedSizeListArray { Values: FloatArray values } frames } a:
                await WriteLeafAsync(rowGroup, Leaf(field), values, a.Length, a.IsNull, i => (a.ValueOffsets[i], a.ValueOffsets[i + 1] - a.ValueOffsets[i]),
                    vectorSize: ((FixedSizeListType)frames.Data.DataType).ListSize);
                break;
            case ListArray { Values: FloatArray values } a:
                await WriteLeafAsync(rowGroup, Leaf(field), values, a.Length, a.IsNull, i => (a.ValueOffsets[i], a.ValueOffsets[i + 1] - a.ValueOffsets[i]), vectorSize: 0);
                break;
            case ListArray { Values: UInt32Array values } a:
                await WriteLeafAsync(rowGroup, Leaf(field), values, a.Length, a.IsNull, i => (a.ValueOffsets[i], a.ValueOffsets[i + 1] - a.ValueOffsets[i]), vectorSize: 0);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(array), array.Data.DataType.Name, $"column '{field.Name}'");
        }
    }

    /// <summary>Writes the non-null values packed, with definition levels 1 (present) / 0 (null).</summary>
    private static Task WritePrimitiveAsync<T>(ParquetRowGroupWriter rowGroup, ParquetField field, IArrowArray array, Func<int, T> value)
        where T : struct
    {
        var values = new T[array.Length - array.NullCount];
        var definitions = new int[array.Length];
        for (int i = 0, v = 0; i < array.Length; i++)
        {
            if (array.IsNull(i)) continue;
            definitions[i] = 1;
            values[v++] = value(i);
        }
        return rowGroup.WriteAllPartsAsync<T>((DataField)field, values, definitions, null, CancellationToken.None);
    }

    private static DataField Leaf(ParquetField field) => field switch
    {
        DataField data => data,
        ListField list => Leaf(list.Item),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field.Name, "not a field the engine's tables use"),
    };

    /// <summary>
    /// Writes a list column's leaf with its Dremel levels. Each row is null (definition 0), empty (1), or items
    /// <c>range(row)</c> of <paramref name="values"/>; with <paramref name="vectorSize"/> &gt; 0 each item is itself a
    /// vector of that many values (a matrix row: an inner list, so elements reach definition 4 and repeat at level 1
    /// for a new vector, 2 within one), else a single value (definition 2, repetition 1 after a row's first).
    /// </summary>
    private static async Task WriteLeafAsync<T>(ParquetRowGroupWriter rowGroup, DataField leaf, PrimitiveArray<T> values, int rows, Func<int, bool> isNull,
        Func<int, (int Start, int Length)> range, int vectorSize)
        where T : struct, IEquatable<T>
    {
        var width = Math.Max(vectorSize, 1);
        int levelCount = 0, valueCount = 0;
        for (var r = 0; r < rows; r++)
        {
            var items = isNull(r) ? 0 : range(r).Length * width;
            levelCount += Math.Max(items, 1);
            valueCount += items;
        }
        // Pooled: a batch of 512-float embeddings needs three 16 MB arrays, and fresh ones cost a zeroing and a GC each.
        var definitions = ArrayPool<int>.Shared.Rent(levelCount);
        var repetitions = ArrayPool<int>.Shared.Rent(levelCount);
        var packed = ArrayPool<T>.Shared.Rent(valueCount);
        try
        {
            Fill(values, rows, isNull, range, vectorSize, definitions, repetitions, packed);
            await rowGroup.WriteAllPartsAsync<T>(leaf, packed.AsMemory(0, valueCount), definitions.AsMemory(0, levelCount),
                repetitions.AsMemory(0, levelCount), CancellationToken.None);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(definitions);
            ArrayPool<int>.Shared.Return(repetitions);
            ArrayPool<T>.Shared.Return(packed);
        }
    }

    private static void Fill<T>(PrimitiveArray<T> values, int rows, Func<int, bool> isNull, Func<int, (int Start, int Length)> range, int vectorSize,
        int[] definitions, int[] repetitions, T[] packed)
        where T : struct, IEquatable<T>
    {
        var width = Math.Max(vectorSize, 1);
        var full = vectorSize > 0 ? 4 : 2;
        var source = values.Values;
        for (int r = 0, level = 0, value = 0; r < rows; r++)
        {
            var (start, length) = isNull(r) ? (0, 0) : range(r);
            if (length == 0)
            {
                definitions[level] = isNull(r) ? 0 : 1;
                repetitions[level] = 0;
                level++;
                continue;
            }
            var count = length * width;
            source.Slice(start * width, count).CopyTo(packed.AsSpan(value));
            value += count;
            definitions.AsSpan(level, count).Fill(full);
            repetitions[level] = 0;
            for (var k = 1; k < count; k++) repetitions[level + k] = vectorSize > 0 && k % vectorSize != 0 ? 2 : 1;
            level += count;
        }
    }
}
