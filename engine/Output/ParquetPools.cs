using Parquet;

namespace SSIS.Batch.Engine.Output;

/// <summary>
/// How much freed memory Parquet.Net's pooled streams keep for reuse. Its defaults (16 MB of small blocks, 64 MB of
/// large buffers, per reader and per writer pool) outlive every table: after the sinks of a 20,000-file run they
/// held most of the memory the run had grown by. A table's pages are written and read one row group at a time
/// (<see cref="TableWriter.BatchValues"/>), so a few MB of reuse is all a table needs.
/// </summary>
public static class ParquetPools
{
    public const int FreeBytesKept = 4 << 20;

    /// <summary><paramref name="options"/> with the pools bounded to <see cref="FreeBytesKept"/> each.</summary>
    public static ParquetOptions Bounded(ParquetOptions options)
    {
        options.MaximumSmallPoolFreeBytes = FreeBytesKept;
        options.MaximumLargePoolFreeBytes = FreeBytesKept;
        return options;
    }
}
