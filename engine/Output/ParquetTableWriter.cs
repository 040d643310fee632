using SSIS.Batch.Engine.Native.DuckDb;

namespace SSIS.Batch.Engine.Output;

/// <summary>Writes rows of a documented schema to a Parquet file (ZSTD) through DuckDB, atomically.</summary>
public static class ParquetTableWriter
{
    public static void Write(string path, IReadOnlyList<Column> columns, IEnumerable<object?[]> rows)
    {
        using var db = DuckDbConnection.Open();
        // One writer thread: these tables are small next to DuckDB's per-thread buffers, and the engine's workers own the cores.
        db.Execute("SET threads TO 1");
        var columnSql = string.Join(", ", columns.Select(c => $"{DuckDbSql.Identifier(c.Name)} {c.Type.Sql()}"));
        db.Execute($"CREATE TABLE rows_out ({columnSql})");
        using (var appender = new DuckDbChunkAppender(db, "rows_out", columns))
        {
            appender.Append(rows);
            appender.Close();
        }
        AtomicFile.Write(path, temp =>
            db.Execute($"COPY rows_out TO {DuckDbSql.Literal(temp)} (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE 8192)"));
    }
}
