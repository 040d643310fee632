using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Native.DuckDb;

/// <summary>One DuckDB database (in memory, or a file) with one connection. Not thread-safe: one owner.</summary>
public sealed unsafe class DuckDbConnection : IDisposable
{
    private readonly DuckDbDatabaseHandle _database;
    private readonly DuckDbConnectionHandle _connection;

    private DuckDbConnection(DuckDbDatabaseHandle database, DuckDbConnectionHandle connection)
    {
        _database = database;
        _connection = connection;
    }

    /// <summary>Opens an in-memory database when <paramref name="path"/> is null.</summary>
    public static DuckDbConnection Open(string? path = null)
    {
        var database = DuckDbDatabaseHandle.Open(path);
        try
        {
            return new DuckDbConnection(database, DuckDbConnectionHandle.Connect(database));
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public static string LibraryVersion => DuckDbNative.Utf8(DuckDbNative.LibraryVersion()) ?? "unknown";

    internal IntPtr Handle => _connection.DangerousGetHandle();

    /// <summary>Runs a statement whose result is not needed.</summary>
    public void Execute(string sql) => Query(sql);

    /// <summary>Runs a query and returns every value rendered as text by DuckDB (null for SQL NULL). Nested values (lists) must be cast to VARCHAR in the query.</summary>
    public QueryRows Query(string sql)
    {
        DuckDbNative.Result result = default;
        var state = DuckDbNative.Query(Handle, sql, &result);
        try
        {
            if (state != DuckDbNative.Success)
                throw new DuckDbException(DuckDbNative.Utf8(DuckDbNative.ResultError(&result)) ?? "DuckDB query failed.");
            var columnCount = DuckDbNative.ColumnCount(&result);
            var rowCount = DuckDbNative.RowCount(&result);
            var names = new string[columnCount];
            for (ulong c = 0; c < columnCount; c++) names[c] = DuckDbNative.Utf8(DuckDbNative.ColumnName(&result, c)) ?? "";
            var rows = new List<string?[]>((int)rowCount);
            for (ulong r = 0; r < rowCount; r++)
            {
                var row = new string?[columnCount];
                for (ulong c = 0; c < columnCount; c++)
                {
                    if (DuckDbNative.ValueIsNull(&result, c, r)) continue;
                    var text = DuckDbNative.ValueVarchar(&result, c, r);
                    if (text == IntPtr.Zero)
                        throw new DuckDbException($"Column '{names[c]}' holds a nested value that cannot be rendered as text; cast it in the query ({names[c]}::VARCHAR).");
                    row[c] = Marshal.PtrToStringUTF8(text);
                    DuckDbNative.Free(text);
                }
                rows.Add(row);
            }
            return new QueryRows(names, rows);
        }
        finally
        {
            DuckDbNative.DestroyResult(&result);
        }
    }

    /// <summary>The single value of a one-row, one-column query.</summary>
    public string? Scalar(string sql)
    {
        var rows = Query(sql);
        if (rows.Rows.Count != 1 || rows.Columns.Count != 1)
            throw new DuckDbException($"Expected one value, got {rows.Rows.Count} rows × {rows.Columns.Count} columns.");
        return rows.Rows[0][0];
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }
}

/// <summary>A query's column names and its rows, each value as DuckDB renders it.</summary>
public sealed record QueryRows(IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows);
