using System.Diagnostics;
using System.IO.Compression;
using Parquet;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis bench write [--rows N] [--dim D]</c>: rows/s and file size of embeddings.parquet (the engine's codec, and the
/// others it was chosen against) and embeddings.arrow, for N embedding rows of D floats. The vectors are pseudo-random
/// in -1..1 (embeddings barely compress), made while writing, as the engine's rows are; the files go to a temp folder, then away.
/// Each writer runs once on one batch first (JIT). Rows/s is given per wall-clock second and per CPU second of the
/// process: on a shared machine the second is the one that does not depend on the neighbours' load.
/// </summary>
public static class WriteBench
{
    /// <summary>
    /// The codecs timed (the engine's, <see cref="ParquetCompression.Default"/>, among them). Zstd at SmallestSize,
    /// Parquet.Net's default level, is left out: ~1k rows/s.
    /// </summary>
    private static readonly ParquetCompression[] Codecs =
    [
        new(CompressionMethod.Snappy, CompressionLevel.Optimal),
        new(CompressionMethod.Zstd, CompressionLevel.Fastest),
        new(CompressionMethod.Zstd, CompressionLevel.Optimal),
    ];

    public static int Run(int rows, int dimension, TextWriter output)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ssis-bench-write-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            output.WriteLine($"write bench: {rows:N0} embedding rows × {dimension} floats (track_id, path, model_version, dim, vector), " +
                             $"{TableWriter.BatchRows:N0} rows per batch");
            output.WriteLine($"  {"",-32} {"rows/s",10}  {"rows/cpu-s",10}  {"seconds",7}  {"size",8}");
            foreach (var codec in Codecs)
                Report(output, $"parquet {codec}{(codec == ParquetCompression.Default ? " (engine)" : "")}",
                    Time(folder, OutputFormats.Parquet, codec, rows, dimension));
            Report(output, "arrow ipc (uncompressed)", Time(folder, OutputFormats.Arrow, ParquetCompression.Default, rows, dimension));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Report(TextWriter output, string what, (double Seconds, double CpuSeconds, long Bytes, int Rows) result) =>
        output.WriteLine($"  {what,-32} {result.Rows / result.Seconds,10:N0}  {result.Rows / result.CpuSeconds,10:N0}  {result.Seconds,6:0.00}s  " +
                         $"{result.Bytes / 1e6,6:N1} MB");

    private static (double Seconds, double CpuSeconds, long Bytes, int Rows) Time(string folder, OutputFormats format, ParquetCompression codec, int rows,
        int dimension)
    {
        Write(folder, format, codec, TableWriter.BatchRows, dimension);
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var file = Write(folder, format, codec, rows, dimension);
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (seconds, (process.TotalProcessorTime - cpu).TotalSeconds, new FileInfo(file).Length, rows);
    }

    private static string Write(string folder, OutputFormats format, ParquetCompression codec, int rows, int dimension) =>
        Path.Combine(folder, TableWriter.WriteAsync(folder, EmbeddingsTable.Schema, format, Rows(rows, dimension), codec).GetAwaiter().GetResult().Single());

    private static IEnumerable<object?[]> Rows(int rows, int dimension)
    {
        // xorshift32: the vectors cost the bench a fraction of what Random.NextDouble would, so the writer is what is timed.
        var state = 12u;
        for (var r = 0; r < rows; r++)
        {
            var vector = new float[dimension];
            for (var k = 0; k < dimension; k++)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                vector[k] = (int)state * (1f / int.MaxValue);
            }
            yield return [(long)r, $"/music/library/artist {r % 997}/album {r % 113}/track {r:D6}.ogg", "bench-v1", dimension, vector];
        }
    }
}
