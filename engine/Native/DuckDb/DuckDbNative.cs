using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Native.DuckDb;

/// <summary>The subset of DuckDB's C API (duckdb.h, 1.5) the engine calls.</summary>
internal static unsafe partial class DuckDbNative
{
    private const string Lib = NativeLibraries.DuckDb;

    static DuckDbNative() => NativeLibraries.EnsureResolver();

    public const int Success = 0;

    /// <summary>duckdb_result: six pointer-sized fields (48 bytes); only ever passed by reference.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Result
    {
        private readonly ulong _columnCount, _rowCount, _rowsChanged;
        private readonly IntPtr _columns, _errorMessage, _internalData;
    }

    [LibraryImport(Lib, EntryPoint = "duckdb_library_version")] public static partial IntPtr LibraryVersion();
    [LibraryImport(Lib, EntryPoint = "duckdb_open", StringMarshalling = StringMarshalling.Utf8)] public static partial int Open(string? path, out IntPtr database);
    [LibraryImport(Lib, EntryPoint = "duckdb_close")] public static partial void Close(ref IntPtr database);
    [LibraryImport(Lib, EntryPoint = "duckdb_connect")] public static partial int Connect(IntPtr database, out IntPtr connection);
    [LibraryImport(Lib, EntryPoint = "duckdb_disconnect")] public static partial void Disconnect(ref IntPtr connection);
    [LibraryImport(Lib, EntryPoint = "duckdb_query", StringMarshalling = StringMarshalling.Utf8)] public static partial int Query(IntPtr connection, string sql, Result* result);
    [LibraryImport(Lib, EntryPoint = "duckdb_destroy_result")] public static partial void DestroyResult(Result* result);
    [LibraryImport(Lib, EntryPoint = "duckdb_result_error")] public static partial IntPtr ResultError(Result* result);
    [LibraryImport(Lib, EntryPoint = "duckdb_row_count")] public static partial ulong RowCount(Result* result);
    [LibraryImport(Lib, EntryPoint = "duckdb_column_count")] public static partial ulong ColumnCount(Result* result);
    [LibraryImport(Lib, EntryPoint = "duckdb_column_name")] public static partial IntPtr ColumnName(Result* result, ulong column);
    [LibraryImport(Lib, EntryPoint = "duckdb_value_is_null")] [return: MarshalAs(UnmanagedType.U1)] public static partial bool ValueIsNull(Result* result, ulong column, ulong row);
    [LibraryImport(Lib, EntryPoint = "duckdb_value_varchar")] public static partial IntPtr ValueVarchar(Result* result, ulong column, ulong row);
    [LibraryImport(Lib, EntryPoint = "duckdb_free")] public static partial void Free(IntPtr pointer);

    [LibraryImport(Lib, EntryPoint = "duckdb_create_logical_type")] public static partial IntPtr CreateLogicalType(int type);
    [LibraryImport(Lib, EntryPoint = "duckdb_create_list_type")] public static partial IntPtr CreateListType(IntPtr childType);
    [LibraryImport(Lib, EntryPoint = "duckdb_destroy_logical_type")] public static partial void DestroyLogicalType(ref IntPtr type);

    [LibraryImport(Lib, EntryPoint = "duckdb_create_data_chunk")] public static partial IntPtr CreateDataChunk(IntPtr* types, ulong columnCount);
    [LibraryImport(Lib, EntryPoint = "duckdb_destroy_data_chunk")] public static partial void DestroyDataChunk(ref IntPtr chunk);
    [LibraryImport(Lib, EntryPoint = "duckdb_data_chunk_get_vector")] public static partial IntPtr DataChunkGetVector(IntPtr chunk, ulong column);
    [LibraryImport(Lib, EntryPoint = "duckdb_data_chunk_set_size")] public static partial void DataChunkSetSize(IntPtr chunk, ulong size);
    [LibraryImport(Lib, EntryPoint = "duckdb_vector_get_data")] public static partial void* VectorGetData(IntPtr vector);
    [LibraryImport(Lib, EntryPoint = "duckdb_vector_ensure_validity_writable")] public static partial void VectorEnsureValidityWritable(IntPtr vector);
    [LibraryImport(Lib, EntryPoint = "duckdb_vector_get_validity")] public static partial ulong* VectorGetValidity(IntPtr vector);
    [LibraryImport(Lib, EntryPoint = "duckdb_validity_set_row_invalid")] public static partial void ValiditySetRowInvalid(ulong* validity, ulong row);
    [LibraryImport(Lib, EntryPoint = "duckdb_vector_assign_string_element_len")] public static partial void VectorAssignStringElementLen(IntPtr vector, ulong index, byte* text, ulong length);
    [LibraryImport(Lib, EntryPoint = "duckdb_list_vector_get_child")] public static partial IntPtr ListVectorGetChild(IntPtr vector);
    [LibraryImport(Lib, EntryPoint = "duckdb_list_vector_reserve")] public static partial int ListVectorReserve(IntPtr vector, ulong capacity);
    [LibraryImport(Lib, EntryPoint = "duckdb_list_vector_set_size")] public static partial int ListVectorSetSize(IntPtr vector, ulong size);

    [LibraryImport(Lib, EntryPoint = "duckdb_appender_create", StringMarshalling = StringMarshalling.Utf8)] public static partial int AppenderCreate(IntPtr connection, string? schema, string table, out IntPtr appender);
    [LibraryImport(Lib, EntryPoint = "duckdb_appender_error")] public static partial IntPtr AppenderError(IntPtr appender);
    [LibraryImport(Lib, EntryPoint = "duckdb_append_data_chunk")] public static partial int AppendDataChunk(IntPtr appender, IntPtr chunk);
    [LibraryImport(Lib, EntryPoint = "duckdb_appender_close")] public static partial int AppenderClose(IntPtr appender);
    [LibraryImport(Lib, EntryPoint = "duckdb_appender_destroy")] public static partial int AppenderDestroy(ref IntPtr appender);

    public static string? Utf8(IntPtr text) => text == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(text);
}
