using System.Text;

namespace SSIS.Batch.Engine.Native.DuckDb;

/// <summary>
/// Bulk-loads rows into an existing table through DuckDB's data-chunk API (about 10× faster than per-value
/// appends for list columns). Each row is an object?[] whose values match the columns' <see cref="ColumnType"/>.
/// </summary>
public sealed unsafe class DuckDbChunkAppender : IDisposable
{
    /// <summary>DuckDB's standard vector size: the most rows one chunk holds.</summary>
    public const int ChunkRows = 2048;

    private readonly IReadOnlyList<Column> _columns;
    private readonly IntPtr[] _logicalTypes;
    private IntPtr _appender;

    public DuckDbChunkAppender(DuckDbConnection connection, string table, IReadOnlyList<Column> columns)
    {
        _columns = columns;
        _logicalTypes = columns.Select(CreateLogicalType).ToArray();
        if (DuckDbNative.AppenderCreate(connection.Handle, null, table, out _appender) != DuckDbNative.Success)
        {
            var message = DuckDbNative.Utf8(DuckDbNative.AppenderError(_appender));
            Dispose();
            throw new DuckDbException(message ?? $"Cannot create an appender for table '{table}'.");
        }
    }

    public void Append(IEnumerable<object?[]> rows)
    {
        var batch = new List<object?[]>(ChunkRows);
        foreach (var row in rows)
        {
            if (row.Length != _columns.Count)
                throw new ArgumentException($"Row has {row.Length} values; the table has {_columns.Count} columns.");
            batch.Add(row);
            if (batch.Count == ChunkRows) AppendChunk(batch);
        }
        if (batch.Count > 0) AppendChunk(batch);
    }

    /// <summary>Flushes everything appended into the table.</summary>
    public void Close()
    {
        if (DuckDbNative.AppenderClose(_appender) != DuckDbNative.Success) ThrowAppenderError();
    }

    private void AppendChunk(List<object?[]> batch)
    {
        IntPtr chunk;
        fixed (IntPtr* types = _logicalTypes) chunk = DuckDbNative.CreateDataChunk(types, (ulong)_logicalTypes.Length);
        try
        {
            for (var c = 0; c < _columns.Count; c++)
                FillVector(DuckDbNative.DataChunkGetVector(chunk, (ulong)c), _columns[c], batch, c);
            DuckDbNative.DataChunkSetSize(chunk, (ulong)batch.Count);
            if (DuckDbNative.AppendDataChunk(_appender, chunk) != DuckDbNative.Success) ThrowAppenderError();
        }
        finally
        {
            DuckDbNative.DestroyDataChunk(ref chunk);
        }
        batch.Clear();
    }

    private static void FillVector(IntPtr vector, Column column, List<object?[]> batch, int c)
    {
        if (column.Type.IsList())
        {
            FillList(vector, column, batch, c);
            return;
        }
        var data = DuckDbNative.VectorGetData(vector);
        for (var r = 0; r < batch.Count; r++)
        {
            var value = batch[r][c];
            if (value is null)
            {
                SetNull(vector, r);
                continue;
            }
            try
            {
                WriteScalar(vector, data, column.Type, r, value);
            }
            catch (InvalidCastException)
            {
                throw new ArgumentException($"Column '{column.Name}' ({column.Type}) cannot take a {value.GetType().Name}.");
            }
        }
    }

    private static void WriteScalar(IntPtr vector, void* data, ColumnType type, int row, object value)
    {
        switch (type)
        {
            case ColumnType.Boolean: ((byte*)data)[row] = (bool)value ? (byte)1 : (byte)0; break;
            case ColumnType.Integer: ((int*)data)[row] = (int)value; break;
            case ColumnType.BigInt: ((long*)data)[row] = (long)value; break;
            case ColumnType.UInteger: ((uint*)data)[row] = (uint)value; break;
            case ColumnType.Float: ((float*)data)[row] = (float)value; break;
            case ColumnType.Double: ((double*)data)[row] = (double)value; break;
            case ColumnType.Timestamp: ((long*)data)[row] = ToUnixMicroseconds((DateTime)value); break;
            case ColumnType.Varchar: AssignString(vector, row, (string)value); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    private static void FillList(IntPtr vector, Column column, List<object?[]> batch, int c)
    {
        ulong total = 0;
        foreach (var row in batch) total += (ulong)ListLength(row[c], column);
        var child = DuckDbNative.ListVectorGetChild(vector);
        if (DuckDbNative.ListVectorReserve(vector, total) != DuckDbNative.Success)
            throw new DuckDbException($"Cannot reserve {total} list elements for column '{column.Name}'.");
        // Reserve may reallocate the child buffer, so its data pointer is fetched only now.
        var entries = (ulong*)DuckDbNative.VectorGetData(vector);
        var childData = DuckDbNative.VectorGetData(child);
        ulong offset = 0;
        for (var r = 0; r < batch.Count; r++)
        {
            var value = batch[r][c];
            entries[2 * r] = offset;
            if (value is null)
            {
                entries[2 * r + 1] = 0;
                SetNull(vector, r);
                continue;
            }
            switch (value)
            {
                case float[] floats:
                    floats.CopyTo(new Span<float>((float*)childData + offset, floats.Length));
                    entries[2 * r + 1] = (ulong)floats.Length;
                    offset += (ulong)floats.Length;
                    break;
                case uint[] items:
                    items.CopyTo(new Span<uint>((uint*)childData + offset, items.Length));
                    entries[2 * r + 1] = (ulong)items.Length;
                    offset += (ulong)items.Length;
                    break;
            }
        }
        if (DuckDbNative.ListVectorSetSize(vector, total) != DuckDbNative.Success)
            throw new DuckDbException($"Cannot size the list of column '{column.Name}'.");
    }

    private static int ListLength(object? value, Column column) => (column.Type, value) switch
    {
        (_, null) => 0,
        (ColumnType.FloatList, float[] floats) => floats.Length,
        (ColumnType.UIntegerList, uint[] items) => items.Length,
        _ => throw new ArgumentException($"Column '{column.Name}' ({column.Type}) cannot take a {value.GetType().Name}."),
    };

    private static void SetNull(IntPtr vector, int row)
    {
        DuckDbNative.VectorEnsureValidityWritable(vector);
        DuckDbNative.ValiditySetRowInvalid(DuckDbNative.VectorGetValidity(vector), (ulong)row);
    }

    private static void AssignString(IntPtr vector, int row, string text)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> buffer = maxBytes <= 1024 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(text, buffer);
        fixed (byte* bytes = buffer) DuckDbNative.VectorAssignStringElementLen(vector, (ulong)row, bytes, (ulong)length);
    }

    private static long ToUnixMicroseconds(DateTime time) =>
        (time.ToUniversalTime() - DateTime.UnixEpoch).Ticks / (TimeSpan.TicksPerMillisecond / 1000);

    private static IntPtr CreateLogicalType(Column column)
    {
        var element = DuckDbNative.CreateLogicalType(column.Type.NativeTypeId());
        if (!column.Type.IsList()) return element;
        var list = DuckDbNative.CreateListType(element);
        DuckDbNative.DestroyLogicalType(ref element);
        return list;
    }

    private void ThrowAppenderError() =>
        throw new DuckDbException(DuckDbNative.Utf8(DuckDbNative.AppenderError(_appender)) ?? "DuckDB appender failed.");

    public void Dispose()
    {
        if (_appender != IntPtr.Zero) DuckDbNative.AppenderDestroy(ref _appender);
        for (var i = 0; i < _logicalTypes.Length; i++)
            if (_logicalTypes[i] != IntPtr.Zero) DuckDbNative.DestroyLogicalType(ref _logicalTypes[i]);
    }
}
