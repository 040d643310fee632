using Apache.Arrow.Ipc;

namespace SSIS.Batch.Engine.Output;

/// <summary>
/// Writes a table's rows as Arrow record batches of its declared schema to each requested file (Parquet and/or Arrow
/// IPC) in one pass: a batch at a time (<see cref="BatchRows"/> rows, fewer when they are wide: <see cref="BatchValues"/>),
/// so memory holds one bounded batch whatever the row count and width, each file complete or
/// absent (temp file, then rename, all files renamed after the last batch).
/// </summary>
public static class TableWriter
{
    /// <summary>Rows per record batch, and per Parquet row group.</summary>
    public const int BatchRows = 8192;

    /// <summary>
    /// List, vector and matrix values (4 bytes each) after which a batch ends before <see cref="BatchRows"/>: 1,365
    /// rows of 192-float embeddings. A batch of 8,192 such rows made the Parquet writer hold about 50 MB of levels,
    /// values and pages, which its pools and the shared array pool then kept.
    /// </summary>
    public const int BatchValues = 1 << 18;

    /// <summary>Writes the table; returns the file names written, Parquet first.</summary>
    public static IReadOnlyList<string> Write(string outputFolder, TableSchema table, OutputFormats formats, IEnumerable<object?[]> rows,
        IReadOnlyDictionary<string, string>? metadata = null) =>
        WriteAsync(outputFolder, table, formats, rows, ParquetCompression.Default, metadata).GetAwaiter().GetResult();

    public static async Task<IReadOnlyList<string>> WriteAsync(string outputFolder, TableSchema table, OutputFormats formats, IEnumerable<object?[]> rows,
        ParquetCompression compression, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var each = formats.Each().ToList();
        if (each.Count == 0) throw new ArgumentException("No output format given.", nameof(formats));
        var schema = table.ArrowSchema(metadata);
        var files = each.ToDictionary(f => f, f => new AtomicFile.Replacement(Path.Combine(outputFolder, table.FileName(f))));
        try
        {
            var parquetFile = files.GetValueOrDefault(OutputFormats.Parquet);
            var arrowFile = files.GetValueOrDefault(OutputFormats.Arrow);
            await using (var parquetStream = parquetFile is null ? null : Create(parquetFile.TempPath))
            await using (var arrowStream = arrowFile is null ? null : Create(arrowFile.TempPath))
            {
                await using var parquet = parquetStream is null ? null : await ParquetSink.CreateAsync(parquetStream, schema, compression);
                using var arrow = arrowStream is null ? null : new ArrowFileWriter(arrowStream, schema, leaveOpen: true);
                if (arrow is not null) await arrow.WriteStartAsync();
                foreach (var batch in RecordBatchBuilder.Batches(schema, rows, BatchRows, BatchValues))
                {
                    using (batch)
                    {
                        if (parquet is not null) await parquet.WriteAsync(batch);
                        if (arrow is not null) await arrow.WriteRecordBatchAsync(batch);
                    }
                }
                if (arrow is not null) await arrow.WriteEndAsync();
            }
            foreach (var file in files.Values) file.Commit();
            return each.Select(table.FileName).ToList();
        }
        finally
        {
            foreach (var file in files.Values) file.Dispose();
        }
    }

    private static FileStream Create(string path) => new(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16);
}
